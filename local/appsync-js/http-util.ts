/**
 * util.http, as AWS's "HTTP helpers in util.http" page describes it:
 * copyHeaders leaves out the hop-by-hop headers; addResponseHeader(s) puts
 * headers on the HTTP response of the GraphQL operation. A header with an
 * empty or restricted name or a null value is ignored and a
 * ResponseHeaderError goes into the operation's errors; the field carries on.
 */
import type { FieldError } from './signals';

/** What copyHeaders leaves out (AWS's list). */
const NOT_COPIED = new Set([
  'transfer-encoding',
  'connection',
  'host',
  'expect',
  'keep-alive',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'content-length',
]);
/** addResponseHeader refuses those and these (AWS's list), and the x-amz-/x-amzn- prefixes. */
const RESTRICTED = new Set([
  ...NOT_COPIED,
  'access-control-allow-credentials',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'vary',
  'content-type',
]);
/** The custom headers of one GraphQL operation, names and values, every definition counted. */
const MAX_TOTAL_BYTES = 4096;
/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header value may hold on the wire (no CR/LF or other controls; Latin-1), as Node's http checks it. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** One GraphQL operation's custom response headers, shared by its fields. */
export interface ResponseHeaders {
  values: Record<string, string>;
  bytes: number;
}
export const newResponseHeaders = (): ResponseHeaders => ({ values: {}, bytes: 0 });

const headerValue = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Why AppSync would ignore this header, or undefined if it is sent. */
function refusal(name: unknown, value: unknown, headers: ResponseHeaders): string | undefined {
  if (typeof name !== 'string' || name === '') return 'a header name must be a non-empty string';
  const lower = name.toLowerCase();
  if (RESTRICTED.has(lower) || lower.startsWith('x-amz-') || lower.startsWith('x-amzn-'))
    return `"${name}" is a restricted header name (AWS and AppSync headers, the x-amz-/x-amzn- prefixes)`;
  if (!HEADER_NAME.test(name)) return `"${name}" is not a valid HTTP header name`;
  if (value === null || value === undefined) return `the value of "${name}" is null`;
  if (!HEADER_VALUE.test(headerValue(value))) return `the value of "${name}" holds characters a header cannot carry (line breaks, controls or beyond Latin-1)`;
  const total = headers.bytes + Buffer.byteLength(name) + Buffer.byteLength(headerValue(value));
  if (total > MAX_TOTAL_BYTES)
    return `custom response headers may hold ${MAX_TOTAL_BYTES} bytes per operation (names and values); "${name}" would make ${total}`;
  return undefined;
}

export function httpUtil(headers: () => ResponseHeaders, appendError: (error: FieldError) => void) {
  function addResponseHeader(name: string, value: unknown): void {
    const current = headers();
    const reason = refusal(name, value, current);
    if (reason) return appendError({ message: `util.http.addResponseHeader: header ignored: ${reason}.`, errorType: 'ResponseHeaderError' });
    current.values[name.toLowerCase()] = headerValue(value);
    current.bytes += Buffer.byteLength(name) + Buffer.byteLength(headerValue(value));
  }
  return {
    copyHeaders: (from: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(from ?? {}).filter(([name]) => !NOT_COPIED.has(name.toLowerCase()))),
    addResponseHeader,
    addResponseHeaders(from: Record<string, unknown>): void {
      for (const [name, value] of Object.entries(from)) addResponseHeader(name, value);
    },
  };
}
