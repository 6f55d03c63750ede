import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

export class BodyTooLarge extends Error {}

/** Reads the whole body, refusing (without buffering further) anything over `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Header names in lower case (as Node gives them), repeated values joined. A loop: every request builds one. */
export function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in req.headers) {
    const value = req.headers[name];
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : (value ?? '');
  }
  return headers;
}

/** The caller's address; empty when the socket no longer knows it (closed), which no check treats as local. */
export const sourceIpOf = (req: IncomingMessage): string => req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
