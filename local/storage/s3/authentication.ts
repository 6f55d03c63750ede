import { timingSafeEqual } from 'node:crypto';
import type { S3rverContext, S3rverMiddleware } from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';
import type FilesystemStore from 's3rver/lib/stores/filesystem.js';
import { accessDenied, invalidRequest, s3Error } from './errors';
import { canonicalRequest, signature, stringToSign, type SignatureInput } from './sigv4';

/** S3's longest presigned URL life: a week. */
const MAX_EXPIRES_SECONDS = 604_800;

/**
 * Checks AWS Signature Version 4 as S3 does. s3rver parses V4 requests but
 * never computes their signature (its authentication says "Signature
 * version 4 calculation is unimplemented"), so any signature passed and a
 * presigned URL bound nothing: not the method, the key, nor the headers it
 * signs (Content-Length, x-amz-checksum-sha256…). This middleware runs
 * ahead of s3rver's router; s3rver's own authentication still runs after
 * it (V2 signatures, clock skew), then the operation.
 *
 * Also as S3: an x-amz-* header the signature does not cover is refused;
 * X-Amz-Expires is checked in full (s3rver let a non-numeric one never
 * expire); and a request with no signature at all is refused, where s3rver
 * served it (buckets are private), except on a static website endpoint.
 */
export function signatureV4(store: FilesystemStore, accessKeys: ReadonlyMap<string, string>): S3rverMiddleware {
  return async (ctx, next) => {
    if (ctx.app.allowMismatchedSignatures || ctx.method === 'OPTIONS') return next();
    const authorization = ctx.req.headers.authorization;
    const presigned = 'X-Amz-Algorithm' in ctx.query;
    const mechanisms = [authorization !== undefined, presigned, 'Signature' in ctx.query].filter(Boolean).length;
    if (mechanisms === 0) {
      if (!(await servesWebsite(ctx, store))) throw accessDenied();
    } else if (mechanisms === 1) {
      if (presigned) verify(ctx, presignedSignature(ctx), accessKeys);
      else if (authorization?.startsWith('AWS4-HMAC-SHA256')) verify(ctx, headerSignature(ctx, authorization), accessKeys);
      // V2 (`AWS …` headers, `Signature` query parameters), as S3 answers it for buckets made since 2020; s3rver
      // would check it against its well-known S3RVER key.
      else if (authorization?.startsWith('AWS ') || 'Signature' in ctx.query) {
        throw s3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
      }
      // s3rver reads the algorithm name in any case and never checks V4: anything but these names is refused here.
      else if (authorization !== undefined) throw s3Error('InvalidArgument', 'Unsupported Authorization Type');
    }
    // More than one mechanism: s3rver refuses the request ("Only one auth mechanism allowed").
    return next();
  };
}

interface ProvidedSignature extends Omit<SignatureInput, 'method' | 'rawPath' | 'rawQuery' | 'header' | 'secretAccessKey'> {
  accessKeyId: string;
  signature: string;
}

function presignedSignature(ctx: S3rverContext): ProvidedSignature {
  const param = (name: string) => {
    const value = ctx.query[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const parameterError = (message: string) => s3Error('AuthorizationQueryParametersError', message);
  if (param('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw parameterError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const [credential, amzDate, expires, signedHeaders, provided] = [
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ].map(param);
  if (!credential || !amzDate || !expires || !signedHeaders || !provided) {
    throw parameterError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const { accessKeyId, scope } = parseCredential(credential, amzDate, parameterError);
  if (!/^\d+$/.test(expires)) throw parameterError('X-Amz-Expires should be a number');
  if (Number(expires) > MAX_EXPIRES_SECONDS) {
    throw parameterError(
      `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_EXPIRES_SECONDS} seconds`,
    );
  }
  const expiresAt = new Date(parseAmzDate(amzDate).getTime() + Number(expires) * 1000);
  const now = new Date();
  if (now > expiresAt) {
    throw accessDenied('Request has expired', { 'X-Amz-Expires': expires, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) });
  }
  return {
    accessKeyId,
    scope,
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature: provided,
    omitFromQuery: 'X-Amz-Signature',
    // The payload is unsigned unless the URL names its digest.
    payloadHash: param('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  };
}

function headerSignature(ctx: S3rverContext, authorization: string): ProvidedSignature {
  const malformed = (message: string) => s3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${message}`);
  const components = new Map(
    authorization
      .slice('AWS4-HMAC-SHA256'.length)
      .split(',')
      .map((component) => component.trim().split('=') as [string, ...string[]])
      .map(([name, ...value]) => [name, value.join('=')]),
  );
  const [credential, signedHeaders, provided] = ['Credential', 'SignedHeaders', 'Signature'].map((name) => components.get(name));
  if (!credential || !signedHeaders || !provided) {
    throw malformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const amzDate = String(ctx.req.headers['x-amz-date'] ?? ctx.req.headers.date ?? '');
  if (!amzDate) throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  const payloadHash = ctx.req.headers['x-amz-content-sha256'];
  if (payloadHash === undefined) throw invalidRequest('Missing required header for this request: x-amz-content-sha256');
  const { accessKeyId, scope } = parseCredential(credential, amzDate, malformed);
  return { accessKeyId, scope, amzDate, signedHeaders: signedHeaders.split(';'), signature: provided, payloadHash: String(payloadHash) };
}

function parseCredential(credential: string, amzDate: string, refuse: (message: string) => Error): { accessKeyId: string; scope: string } {
  const [accessKeyId, ...scope] = credential.split('/');
  if (scope.length !== 4 || scope[3] !== 'aws4_request') {
    throw refuse(`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  if (scope[0] !== amzDate.slice(0, 8)) throw refuse('Invalid credential date. Date is not the same as X-Amz-Date.');
  return { accessKeyId, scope: scope.join('/') };
}

/** Lets s3rver's own authentication, which runs after ours and looks every key up in its process-wide registry, know this key. */
export function registerWithS3rver(accessKeys: ReadonlyMap<string, string>): void {
  for (const [accessKeyId, secretAccessKey] of accessKeys) AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}

function verify(ctx: S3rverContext, provided: ProvidedSignature, accessKeys: ReadonlyMap<string, string>): void {
  const secretAccessKey = accessKeys.get(provided.accessKeyId);
  if (secretAccessKey === undefined) {
    throw s3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: provided.accessKeyId });
  }
  const signed = new Set(provided.signedHeaders);
  const unsigned = Object.keys(ctx.req.headers).filter((name) => name.startsWith('x-amz-') && !signed.has(name));
  if (unsigned.length) {
    throw accessDenied('There were headers present in the request which were not signed', { HeadersNotSigned: unsigned.join(', ') });
  }
  const [rawPath, rawQuery = ''] = ctx.originalUrl.split(/\?(.*)/s);
  const input: SignatureInput = {
    ...provided,
    method: ctx.method,
    rawPath,
    rawQuery,
    header: (name) => ctx.req.headersDistinct[name]?.join(','),
    secretAccessKey,
  };
  const expected = signature(input);
  if (!sameHex(expected, provided.signature)) {
    throw s3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: provided.accessKeyId,
        StringToSign: stringToSign(input),
        SignatureProvided: provided.signature,
        CanonicalRequest: canonicalRequest(input),
      },
    );
  }
}

/** s3rver serves a bucket's static website without signatures, as S3's website endpoints do. */
async function servesWebsite(ctx: S3rverContext, store: FilesystemStore): Promise<boolean> {
  if (ctx.state.service === 's3-website') return true;
  const [, bucket = ''] = ctx.path.split('/');
  if (!/^[a-z0-9][a-z0-9.-]*$/i.test(bucket)) return false;
  return (await store.getSubresource(bucket, undefined, 'website').catch(() => null)) !== null;
}

function parseAmzDate(amzDate: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!match) {
    throw s3Error('AuthorizationQueryParametersError', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  }
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d+/, '');

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
