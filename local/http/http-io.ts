import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

export class BodyTooLarge extends Error {}

/**
 * Reads the whole body, refusing anything over `limit` bytes: past it, the rest is read and dropped (as
 * body-parser does), so the caller's 413 reaches the client on a connection still in step. Listeners, not
 * `for await`: every request reads one, and the stream's async iterator costs several promises a chunk.
 * `finished` settles it for a request that closed or ended before the call, as well as after.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      req.resume();
      reject(new BodyTooLarge());
    };
    const stopWatching = finished(req, (error) => {
      stop();
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    function stop() {
      req.off('data', onData);
      stopWatching();
    }
    req.on('data', onData);
  });
}

/** Header names in lower case (as Node gives them), repeated values joined. A loop: every request builds one. */
export function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(req.headers)) {
    const value = req.headers[name];
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : (value ?? '');
  }
  return headers;
}

/** The caller's address; empty when the socket no longer knows it (closed), which no check treats as local. */
export const sourceIpOf = (req: IncomingMessage): string => req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
