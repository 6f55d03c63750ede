/**
 * util.http, as AWS's built-in utilities page describes it: copyHeaders
 * leaves out the hop-by-hop headers; addResponseHeader(s) puts headers on the
 * HTTP response of the GraphQL request, within AppSync's restrictions (no
 * AWS/AppSync or restricted names, no x-amz-/x-amzn- prefix, 4 KB in all).
 */

/** What copyHeaders leaves out. */
const NOT_COPIED = new Set(['transfer-encoding', 'connection', 'host', 'expect', 'keep-alive', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'te', 'content-length']);
/** Headers the response already carries or that only the service may set. */
const RESTRICTED = new Set([...NOT_COPIED, 'content-type', 'content-encoding', 'date', 'server', 'vary', 'set-cookie', 'access-control-allow-origin', 'access-control-allow-headers', 'access-control-allow-methods', 'access-control-expose-headers', 'access-control-max-age', 'access-control-allow-credentials']);
const MAX_TOTAL_BYTES = 4096;

export function httpUtil(responseHeaders: () => Record<string, string>) {
  function addResponseHeader(name: string, value: unknown): void {
    const lower = String(name).toLowerCase();
    if (RESTRICTED.has(lower) || lower.startsWith('x-amz-') || lower.startsWith('x-amzn-')) {
      throw new TypeError(`util.http.addResponseHeader: "${name}" is a restricted header name (AppSync refuses AWS and AppSync headers and the x-amz-/x-amzn- prefixes).`);
    }
    const headers = responseHeaders();
    headers[lower] = typeof value === 'string' ? value : JSON.stringify(value);
    const total = Object.entries(headers).reduce((sum, [n, v]) => sum + Buffer.byteLength(n) + Buffer.byteLength(v), 0);
    if (total > MAX_TOTAL_BYTES) {
      delete headers[lower];
      throw new TypeError(`util.http.addResponseHeader: custom response headers may hold ${MAX_TOTAL_BYTES} bytes in all (names and values); "${name}" would make ${total}.`);
    }
  }
  return {
    copyHeaders: (headers: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !NOT_COPIED.has(name.toLowerCase()))),
    addResponseHeader,
    addResponseHeaders(headers: Record<string, unknown>): void {
      for (const [name, value] of Object.entries(headers)) addResponseHeader(name, value);
    },
  };
}
