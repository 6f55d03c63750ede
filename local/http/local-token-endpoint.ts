/**
 * POST /local/token: what a sign-in page gets from Cognito, locally — a
 * user-pool token for a name and groups of the caller's choosing, signed by
 * the server's own key. It lets anyone act as anyone, so it answers only
 * on loopback and only to same-origin pages: it sends no CORS headers, and
 * its JSON content type makes a cross-origin browser request preflight,
 * which fails.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenRequest } from '../auth/cognito-tokens';
import { BodyTooLarge, readBody, sourceIpOf } from './http-io';

export const LOCAL_TOKEN_PATH = '/local/token';

/** 127.0.0.0/8 and ::1 (IPv4-mapped addresses arrive unmapped from sourceIpOf). */
const isLoopback = (ip: string): boolean => ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);

const GROUP = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
const USER = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

function answer(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), 'cache-control': 'no-store' });
  res.end(json);
}

export async function handleLocalToken(req: IncomingMessage, res: ServerResponse, sign: (request: TokenRequest) => Promise<string>): Promise<void> {
  if (!isLoopback(sourceIpOf(req))) {
    return answer(res, 403, { errorType: 'Forbidden', message: 'Local tokens are given only to callers on this machine.' });
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return answer(res, 415, {
      errorType: 'UnsupportedMediaType',
      message: 'Send JSON {"username": "…", "groups": ["project-42"]} with content-type application/json.',
    });
  }
  let request: { username?: unknown; groups?: unknown };
  try {
    request = JSON.parse((await readBody(req, 16 * 1024)).toString('utf8'));
  } catch (error) {
    const message = error instanceof BodyTooLarge ? 'The request is too large.' : 'The request body is not JSON.';
    return answer(res, 400, { errorType: 'ValidationError', message });
  }
  const { username, groups = [] } = request ?? {};
  if (typeof username !== 'string' || !USER.test(username)) {
    return answer(res, 400, { errorType: 'ValidationError', message: 'username must be 1 to 128 visible characters, no spaces.' });
  }
  if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string' && GROUP.test(g))) {
    return answer(res, 400, {
      errorType: 'ValidationError',
      message: 'groups must be a list of group names such as "project-42" or "admins", without spaces.',
    });
  }
  answer(res, 200, { token: await sign({ username, groups: groups as string[] }), tokenType: 'access' });
}
