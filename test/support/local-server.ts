import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll } from 'vitest';
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

/** POSTs GraphQL signed with SigV4 (service appsync), as an IAM caller such as the REST proxy does. */
export function iamClient(url: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string }, service = 'appsync') {
  const signer = new SignatureV4({ service, region, credentials, sha256: Hash.bind(null, 'sha256') });
  return async (request: unknown): Promise<{ status: number; body: Json }> => {
    const target = new URL(url);
    const body = JSON.stringify(request);
    const signed = await signer.sign(
      new HttpRequest({ method: 'POST', protocol: target.protocol, hostname: target.hostname, port: Number(target.port), path: target.pathname, headers: { host: target.host, 'content-type': 'application/json' }, body }),
    );
    const response = await fetch(target, { method: 'POST', headers: signed.headers, body });
    return { status: response.status, body: await response.json() };
  };
}
