/**
 * readBody over a real socket: a body in many chunks read whole, one over the
 * limit refused whether it declares its length or not (and the 413 delivered),
 * and a client that goes away mid-body, even before readBody is called, a
 * rejection rather than a request left hanging.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLarge, readBody, sendJson } from '../../local/http/http-io';

const LIMIT = 64 * 1024;

let server: http.Server | undefined;
afterEach(
  () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

/**
 * A server reading each request's body after `delayMs` (0: at once), answering 200 or, past the limit, 413
 * as the endpoints do; `outcome` is readBody's result.
 */
async function serveOnce(delayMs = 0): Promise<{ port: number; outcome: Promise<Buffer | Error> }> {
  let settle!: (value: Buffer | Error) => void;
  const outcome = new Promise<Buffer | Error>((resolve) => (settle = resolve));
  server = http.createServer((req, res) => {
    setTimeout(() => {
      readBody(req, LIMIT).then(
        (body) => {
          settle(body);
          res.end('ok');
        },
        (error: Error) => {
          settle(error);
          if (error instanceof BodyTooLarge) sendJson(res, 413, { errors: [{ errorType: 'PayloadTooLarge' }] });
        },
      );
    }, delayMs);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, outcome };
}

/**
 * Sends `chunks` with chunked transfer encoding, a few ms apart; ends unless `abort`. Resolves with the
 * answer's status, or the client's error code when there was no answer.
 */
function sendChunked(port: number, chunks: Buffer[], abort = false): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    void (async () => {
      for (const chunk of chunks) {
        if (req.destroyed) return;
        req.write(chunk);
        await new Promise((wait) => setTimeout(wait, 5));
      }
      if (abort) req.destroy();
      else req.end();
    })();
  });
}

describe('readBody', () => {
  it('reads a body sent in many chunks whole, byte for byte', async () => {
    const { port, outcome } = await serveOnce();
    const chunks = Array.from({ length: 8 }, (_, i) => Buffer.alloc(1000, i));
    await sendChunked(port, chunks);
    expect(await outcome).toEqual(Buffer.concat(chunks));
  });

  it('refuses a chunked body once it passes the limit, without buffering the rest, and the 413 reaches the client', async () => {
    const { port, outcome } = await serveOnce();
    const status = sendChunked(port, [Buffer.alloc(LIMIT), Buffer.alloc(1), ...Array.from({ length: 20 }, () => Buffer.alloc(LIMIT))]);
    expect(await outcome).toBeInstanceOf(BodyTooLarge);
    expect(await status).toBe(413);
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

  it('rejects, rather than waits forever, when called after the client went away (an endpoint awaits something first)', async () => {
    const { port, outcome } = await serveOnce(100);
    await sendChunked(port, [Buffer.from('half a body')], true);
    const result = await outcome;
    expect(result).toBeInstanceOf(Error);
    expect(result).not.toBeInstanceOf(BodyTooLarge);
  });
});
