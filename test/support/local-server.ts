import { afterAll, beforeAll } from 'vitest';
import { graphQLSigner } from '../../functions/core/signed-graphql';
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../local/server';
import type { Json } from './graphql-http';

/** The whole local API on a free port, in memory unless told otherwise, for the test file. */
export function useLocalServer(options: LocalServerOptions = {}): { server: LocalServer } {
  const fixture = {} as { server: LocalServer };
  beforeAll(async () => {
    fixture.server = await startLocalServer({ port: 0, ...options });
  });
  afterAll(async () => {
    await fixture.server?.close();
  });
  return fixture;
}

export { postGraphQL } from './graphql-http';

/** POST /upload, the legacy REST endpoint: `body` an object sent as JSON, or text sent as it is. */
export async function restUpload(url: string, body: string | object, headers: Record<string, string>): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** POSTs GraphQL signed with SigV4 (service appsync), as an IAM caller such as the REST proxy does; the answer as it comes. */
export function iamClient(url: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string }, service = 'appsync') {
  const sign = graphQLSigner(new URL(url), { region, credentials, service });
  return async (request: unknown): Promise<{ status: number; body: Json }> => {
    const body = JSON.stringify(request);
    const response = await fetch(url, { method: 'POST', headers: await sign(body), body });
    return { status: response.status, body: await response.json() };
  };
}
