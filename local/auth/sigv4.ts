/**
 * IAM auth, locally: a request signed with AWS Signature V4 (service
 * `appsync`) is verified by signing it again with the local account's
 * credentials and comparing — the same check AWS makes with real ones.
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, timingSafeEqual } from 'node:crypto';

export interface LocalAccount {
  accountId: string;
  /** The region the API is in: signatures for another region are not for it. */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** AWS refuses signatures dated more than 15 minutes from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export interface SignedRequest {
  method: string;
  url: URL;
  /** Names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export type SigV4Result = { ok: true; identity: Record<string, unknown> } | { ok: false; message: string };

/**
 * ctx.identity.username on AWS is the principal's unique ID, never the access key: `AIDA…` for an
 * IAM user (as the local account's keys are), `AROA…:<session>` for a role. Derived from the key so it is stable.
 */
const localUserId = (accessKeyId: string) => `AIDA${createHash('sha256').update(accessKeyId).digest('hex').slice(0, 17).toUpperCase()}`;

const parseAmzDate = (value: string) =>
  new Date(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T${value.slice(9, 11)}:${value.slice(11, 13)}:${value.slice(13, 15)}Z`);

/** `service`: what the signature must be scoped to — `appsync` for the API, `dynamodb` for the embedded table store. */
export async function verifySigV4(request: SignedRequest, account: LocalAccount, sourceIp: string, expectedService = 'appsync'): Promise<SigV4Result> {
  const match = AUTHORIZATION.exec(request.headers.authorization ?? '');
  if (!match) return { ok: false, message: 'The SigV4 authorization header is malformed.' };
  const [, accessKeyId, , region, service, signedHeaders, signature] = match;
  if (accessKeyId !== account.accessKeyId) {
    return {
      ok: false,
      message: `The security token included in the request is invalid: locally, sign with the local account's credentials (access key ${account.accessKeyId}).`,
    };
  }
  if (service !== expectedService || region !== account.region) {
    return {
      ok: false,
      message: `Credential should be scoped to a valid region and to the service ${expectedService}: this endpoint is in ${account.region}; the request was signed for ${service} in ${region}.`,
    };
  }
  // SigV4 for HTTP/1.1: without host signed, the signature would hold for any server; without the date, forever.
  const signedNames = signedHeaders.split(';');
  const unsigned = ['host', 'x-amz-date'].filter((name) => !signedNames.includes(name));
  if (unsigned.length) {
    return {
      ok: false,
      message: `The request signature must cover the ${unsigned.join(' and ')} header${unsigned.length > 1 ? 's' : ''}: add ${unsigned.length > 1 ? 'them' : 'it'} to SignedHeaders.`,
    };
  }
  const amzDate = request.headers['x-amz-date'] ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt.getTime()) || Math.abs(Date.now() - signedAt.getTime()) > MAX_SKEW_MS) {
    return { ok: false, message: 'Signature expired: x-amz-date is missing or more than 15 minutes from the server clock.' };
  }
  const headers = Object.fromEntries(signedNames.map((name) => [name, request.headers[name] ?? '']));
  const signer = new SignatureV4({
    service,
    region,
    credentials: { accessKeyId, secretAccessKey: account.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
  });
  const resigned = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      path: request.url.pathname,
      query: Object.fromEntries(request.url.searchParams),
      headers,
      body: request.body,
    }),
    { signingDate: signedAt },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(resigned.headers.authorization)?.[1] ?? '';
  if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    return { ok: false, message: 'The request signature we calculated does not match the signature you provided.' };
  }
  return {
    ok: true,
    identity: {
      accountId: account.accountId,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp: [sourceIp],
      username: localUserId(accessKeyId),
      userArn: `arn:aws:iam::${account.accountId}:user/local`,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    },
  };
}
