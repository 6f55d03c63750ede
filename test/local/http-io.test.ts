/**
 * readBody over a real socket: a body in many chunks read whole, one over the
 * limit refused whether it declares its length or not, and a client that goes
 * away mid-body a rejection rather than a request left hanging.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLarge, readBody } from '../../local/http/http-io';

const LIMIT = 64 * 1024;

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server whose every request's readBody outcome resolves `outcome`. */
async function serveOnce(): Promise<{ port: number; outcome: Promise<Buffer | Error> }> {
  let settle!: (value: Buffer | Error) => void;
  const outcome = new Promise<Buffer | Error>((resolve) => (settle = resolve));
  server = http.createServer((req, res) => {
    readBody(req, LIMIT).then(
      (body) => {
        settle(body);
        res.end('ok');
      },
      (error: Error) => settle(error),
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, outcome };
}

/** Sends `chunks` with chunked transfer encoding, a turn of the event loop apart; ends unless `abort`. */
async function sendChunked(port: number, chunks: Buffer[], abort = false): Promise<void> {
  const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
  req.on('error', () => {});
  req.on('response', (res) => res.resume());
  for (const chunk of chunks) {
    req.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (abort) req.destroy();
  else req.end();
}

describe('readBody', () => {
  it('reads a body sent in many chunks whole, byte for byte', async () => {
    const { port, outcome } = await serveOnce();
    const chunks = Array.from({ length: 8 }, (_, i) => Buffer.alloc(1000, i));
    await sendChunked(port, chunks);
    expect(await outcome).toEqual(Buffer.concat(chunks));
  });

  it('refuses a chunked body once it passes the limit, without waiting for the rest', async () => {
    const { port, outcome } = await serveOnce();
    void sendChunked(port, [Buffer.alloc(LIMIT), Buffer.alloc(1), ...Array.from({ length: 50 }, () => Buffer.alloc(LIMIT))]);
    expect(await outcome).toBeInstanceOf(BodyTooLarge);
  });

  it('refuses a declared length over the limit before reading', async () => {
    const { port, outcome } = await serveOnce();
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': String(LIMIT + 1) } });
    req.on('error', () => {});
    req.write('x');
    expect(await outcome).toBeInstanceOf(BodyTooLarge);
    req.destroy();
  });

  it('rejects when the client goes away mid-body', async () => {
    const { port, outcome } = await serveOnce();
    await sendChunked(port, [Buffer.from('half a body')], true);
    const result = await outcome;
    expect(result).toBeInstanceOf(Error);
    expect(result).not.toBeInstanceOf(BodyTooLarge);
  });
});
