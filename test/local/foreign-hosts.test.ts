/**
 * Requests the local server must not answer: addressed to another host name
 * (a DNS-rebinding page), or with a request line that is not a path.
 */
import { describe, expect, it } from 'vitest';
import { request } from 'node:http';
import net from 'node:net';
import { useLocalServer } from '../support/local-server';

const local = useLocalServer();

/** A raw HTTP/1.1 request with the Host header given (fetch would set its own). */
function send(path: string, host: string, method = 'GET', body = ''): Promise<{ status: number; text: string }> {
  const { port } = new URL(local.server.graphqlUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('requests addressed to another host', () => {
  it.each([
    ['POST', '/local/token', JSON.stringify({ username: 'eve', groups: ['admins'] })],
    ['GET', '/files', ''],
    ['POST', '/graphql', JSON.stringify({ query: '{ __typename }' })],
  ])('answer %s %s with 421 and nothing else', async (method, path, body) => {
    const { port } = new URL(local.server.graphqlUrl);

    const rebound = await send(path, `evil.example:${port}`, method, body);

    expect(rebound.status).toBe(421);
    expect(rebound.text).not.toMatch(/token|da2-/);
  });

  it('still answers requests that name it as 127.0.0.1, localhost or [::1]', async () => {
    const { port } = new URL(local.server.graphqlUrl);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      expect((await send('/files', host)).status).toBe(200);
    }
  });

  it('refuses a real-time upgrade addressed to another host', async () => {
    const { port } = new URL(local.server.graphqlUrl);
    const answer = await rawExchange(
      `GET /graphql/realtime HTTP/1.1\r\nHost: evil.example:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 421 /);
  });
});

/** Sends raw bytes and returns what the server answers before it closes. */
function rawExchange(bytes: string): Promise<string> {
  const { port } = new URL(local.server.graphqlUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('a request line that is not a path', () => {
  it('is refused with 400 on an upgrade, and the server keeps serving', async () => {
    const { port } = new URL(local.server.graphqlUrl);
    const answer = await rawExchange(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`);

    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect((await send('/files', `127.0.0.1:${port}`)).status).toBe(200);
  });
});
