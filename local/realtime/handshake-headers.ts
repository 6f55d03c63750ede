/**
 * The auth headers of a real-time connection, where AppSync clients put
 * them: current clients in a `header-<base64url JSON>` subprotocol next to
 * `graphql-ws`; older ones (aws-amplify ≤ 6.4, Apollo's subscription link) in
 * `?header=<base64 JSON>&payload=e30=`.
 */
import type { IncomingMessage } from 'node:http';

const HEADER_PROTOCOL_PREFIX = 'header-';

/** JSON object of header values → names in lower case, as the HTTP endpoint sees them. */
function headersFromJson(json: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name.toLowerCase(), String(value)]));
}

/** The raw `header` query value: URLSearchParams would turn base64's "+" into a space. */
function rawQueryValue(url: string, name: string): string | undefined {
  const query = url.split('?', 2)[1] ?? '';
  const pair = query.split('&').find((p) => p.startsWith(`${name}=`));
  return pair === undefined ? undefined : decodeURIComponent(pair.slice(name.length + 1));
}

export function handshakeHeaders(req: IncomingMessage): Record<string, string> | undefined {
  const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const fromProtocol = protocols.find((p) => p.startsWith(HEADER_PROTOCOL_PREFIX));
  if (fromProtocol) return headersFromJson(Buffer.from(fromProtocol.slice(HEADER_PROTOCOL_PREFIX.length), 'base64url').toString('utf8'));
  const fromQuery = rawQueryValue(req.url ?? '', 'header');
  return fromQuery === undefined ? undefined : headersFromJson(Buffer.from(fromQuery, 'base64').toString('utf8'));
}

/** The 101 answer must select graphql-ws, never echo the `header-` protocol. */
export const selectProtocol = (protocols: Set<string>): string | false => (protocols.has('graphql-ws') ? 'graphql-ws' : false);
