import { request } from 'node:https';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { postGraphQL, useLocalServer } from '../support/local-server';

const local = useLocalServer();

const httpsPost = (url: string, body: string, headers: Record<string, string>, ca: string) =>
  new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });

const stillServing = async () => (await postGraphQL(local.server.graphqlUrl, { query: '{ __typename }' }, { 'x-api-key': local.server.apiKey })).body;

describe('TLS and plain HTTP on one port', () => {
  it('answers https:// with a certificate the local CA signed for 127.0.0.1', async () => {
    const url = local.server.graphqlUrl.replace('http://', 'https://');

    const response = await httpsPost(url, JSON.stringify({ query: '{ __typename }' }), { 'x-api-key': local.server.apiKey }, local.server.caCert);

    expect(response).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('survives a client that resets before its first byte, and one that sends a broken TLS handshake', async () => {
    const port = Number(new URL(local.server.graphqlUrl).port);
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.resetAndDestroy());
      socket.on('error', () => {});
      socket.on('close', () => resolve());
    });
    // A TLS record header with a body that is no handshake, then gone: the TLS server's handshake timeout reclaims its side.
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff]), () => socket.resetAndDestroy()),
      );
      socket.on('error', () => {});
      socket.on('close', () => resolve());
    });

    expect(await stillServing()).toEqual({ data: { __typename: 'Query' } });
  });
});
