import { afterAll, beforeAll } from 'vitest';
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../local/server';

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

// Tests read the answer field by field, as a client would.
type Json = any;

export async function postGraphQL(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}
