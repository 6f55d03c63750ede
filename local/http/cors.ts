/**
 * CORS for the API routes (POST /graphql, POST /upload). Any web page may
 * call with an API key — as on AppSync, the key is what grants access — but
 * only trusted origins may send credentials that act as a person or a role
 * (a user-pool token, a SigV4 signature): this server's own origin and the
 * ones configured (CORS_ORIGINS). Otherwise a page the developer happens to
 * open could use a token or key it finds in the browser against the local API.
 * Pages and the local token endpoint send no CORS headers at all.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What any origin may send: an API-key request, as AppSync clients make it. */
const API_KEY_HEADERS = 'content-type, x-api-key, x-amz-user-agent';
/** What trusted origins may also send: user-pool tokens and SigV4 signatures. */
const CREDENTIAL_HEADERS = `${API_KEY_HEADERS}, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256`;

export type OriginTrust = (origin: string) => boolean;

/** Trusts the server's own origins (its host names on its port, http or https) and the configured ones, exactly. */
export function originTrust(hostNames: ReadonlySet<string>, port: () => number, configured: readonly string[] = []): OriginTrust {
  const listed = new Set(configured.map((origin) => origin.trim().replace(/\/$/, '').toLowerCase()));
  return (origin) => {
    if (listed.has(origin.toLowerCase())) return true;
    if (!URL.canParse(origin)) return false;
    const url = new URL(origin);
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const defaultPort = { 'http:': 80, 'https:': 443 }[url.protocol];
    // An origin on the scheme's default port carries no port ("http://localhost" is port 80).
    return defaultPort !== undefined && hostNames.has(hostname) && Number(url.port || defaultPort) === port();
  };
}

/** Sets the CORS headers of an API answer, preflight included. */
export function applyCors(req: IncomingMessage, res: ServerResponse, trusted: OriginTrust): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  res.setHeader('vary', 'Origin');
  if (trusted(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-headers', CREDENTIAL_HEADERS);
  } else if (req.method === 'OPTIONS' || req.headers.authorization === undefined) {
    // An untrusted page reads only API-key answers: its preflight does not allow `authorization`.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', API_KEY_HEADERS);
  }
  res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
  res.setHeader('access-control-max-age', '86400');
}
