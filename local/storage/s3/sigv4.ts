import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 as S3 computes it on its side: the canonical
 * request from what arrived, the string to sign, the signature.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - . _ ~. */
export const uriEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** The path, each segment decoded and encoded again as S3 encodes it (S3 encodes once, and does not normalise `.` or `//`). */
export const canonicalUri = (rawPath: string) =>
  rawPath
    ? rawPath
        .split('/')
        .map((segment) => uriEncode(decode(segment)))
        .join('/')
    : '/';

/** Every query parameter but `omit`, encoded, sorted by name then value. */
export function canonicalQuery(rawQuery: string, omit?: string): string {
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const equals = pair.indexOf('=');
      const [name, value] = equals === -1 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
      return [uriEncode(decode(name)), uriEncode(decode(value))];
    })
    .filter(([name]) => name !== omit)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** `name:value` lines of the signed headers; a value's runs of spaces become one, its ends are trimmed. */
export const canonicalHeaders = (names: string[], valueOf: (name: string) => string | undefined) =>
  names.map((name) => `${name}:${(valueOf(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');

export interface SignatureInput {
  method: string;
  rawPath: string;
  rawQuery: string;
  /** Left out of the canonical query: the signature itself, when it travels there. */
  omitFromQuery?: string;
  signedHeaders: string[];
  header(name: string): string | undefined;
  payloadHash: string;
  /** X-Amz-Date: yyyyMMdd'T'HHmmss'Z'. */
  amzDate: string;
  /** `<date>/<region>/<service>/aws4_request`. */
  scope: string;
  secretAccessKey: string;
}

export function canonicalRequest(input: SignatureInput): string {
  return [
    input.method,
    canonicalUri(input.rawPath),
    canonicalQuery(input.rawQuery, input.omitFromQuery),
    canonicalHeaders(input.signedHeaders, input.header),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function stringToSign(input: SignatureInput): string {
  return ['AWS4-HMAC-SHA256', input.amzDate, input.scope, createHash('sha256').update(canonicalRequest(input)).digest('hex')].join('\n');
}

export function signature(input: SignatureInput): string {
  const [date, region, service, terminator] = input.scope.split('/');
  let key: Buffer | string = `AWS4${input.secretAccessKey}`;
  for (const part of [date, region, service, terminator]) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(stringToSign(input)).digest('hex');
}
