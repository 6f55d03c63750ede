/**
 * `{ __typename }` over HTTP: the API's fixed cost per request (HTTP, parse,
 * validate, auth, execute; no data source), against the floor of the
 * transport itself — a bare node:http server that reads the same body,
 * parses it and answers the same JSON, on the same client.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postGraphQL } from '../../test/support/graphql-http';
import type { Bench } from '../context';
import { comparePair, type Pair, type RunOptions } from '../measure';

const QUERY = { query: '{ __typename }' };
const ANSWER = JSON.stringify({ data: { __typename: 'Query' } });

async function startEchoServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) }).end(ANSWER);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function typename(bench: Bench, options: RunOptions): Promise<Pair> {
  const echo = await startEchoServer();
  const headers = { 'x-api-key': bench.server.apiKey };
  const expect = async (url: string) => {
    const { status, body } = await postGraphQL(url, QUERY, headers);
    if (status !== 200 || body.data?.__typename !== 'Query') throw new Error(`{ __typename } answered ${status} ${JSON.stringify(body)}`);
  };
  try {
    return await comparePair(
      () => expect(bench.server.graphqlUrl),
      () => expect(echo.url),
      options,
    );
  } finally {
    await echo.close();
  }
}
