/**
 * HTTP for the CLI: node:http/https rather than fetch, because presigned PUTs
 * must stream a slice of a file from disk with the exact `content-length` the
 * URL was signed for (fetch would send a stream chunked, which storage refuses),
 * and because a local CA (https:// or wss:// to the local server) can be
 * trusted per request instead of process-wide.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { CliError } from './errors';

export interface HttpRequest {
  method: string;
  headers?: Record<string, string>;
  /** A buffer or string is sent whole; a stream is piped (its length must be in the headers). */
  body?: Buffer | string | Readable;
  signal?: AbortSignal;
  /** An extra CA to trust, PEM (the local server's, from endpoints.json), on top of the usual roots. */
  ca?: string;
}

/** Sends a request; resolves with the response head as soon as it arrives (the body is still to read). */
export function send(url: string, request: HttpRequest): Promise<IncomingMessage> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(target, {
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      ...(secure && request.ca ? { ca: [...rootCertificates, request.ca] } : {}),
    });
    req.once('response', resolve);
    req.once('error', reject);
    const { body } = request;
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      req.end(body);
    } else {
      // A failed read must fail the request, not leave it waiting for bytes that never come.
      body.once('error', (error) => req.destroy(error));
      // Storage may answer (e.g. 403) before reading the whole body: stop reading the file then.
      req.once('close', () => body.destroy());
      body.pipe(req);
    }
  });
}

export async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A response body that should be JSON; undefined when it is not. */
export async function readJson(response: IncomingMessage): Promise<unknown> {
  const text = await readText(response);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** A connection-level failure (refused, reset, DNS) as a CliError that says where we were going. */
export function networkError(url: string, error: unknown): CliError {
  const { hostname, host } = new URL(url);
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  const hint = LOOPBACK.test(hostname) && code === 'ECONNREFUSED' ? ' Is the local server running? Start it with `npm start`.' : '';
  return new CliError('NetworkError', `Could not reach ${host} (${reason}).${hint}`);
}
