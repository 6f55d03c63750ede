/**
 * Works out who is calling from the request headers, as AppSync does before
 * any field runs: an `x-api-key` header means API-key auth; an
 * `authorization` header carries a SigV4 signature (IAM) or a user-pool JWT
 * (raw, or after `Bearer `).
 * A caller that cannot be authenticated gets AppSync's 401 refusal.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Caller } from '../graphql/graphql-api';
import { userPoolIdentity } from '../../functions/core/user-pool-identity';
import { tokenFromAuthorization, type VerifiedToken } from './cognito-tokens';
import { verifySigV4, type LocalAccount, type SignedRequest } from './sigv4';

export interface AuthConfig {
  apiKey: string;
  verifyToken(token: string): Promise<VerifiedToken>;
  /** Whose SigV4 signatures count as IAM callers. */
  account: LocalAccount;
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; message: string };

// Digests have one length whatever the keys hold (timingSafeEqual throws on buffers of different byte lengths).
const digest = (value: string) => createHash('sha256').update(value).digest();
// The API's own key is hashed once, not on every request.
const keyDigests = new Map<string, Buffer>();
const sameKey = (given: string, apiKey: string) => {
  let expected = keyDigests.get(apiKey);
  if (!expected) keyDigests.set(apiKey, (expected = digest(apiKey)));
  return timingSafeEqual(digest(given), expected);
};

/** `request.headers`: names in lower case; the body and URL matter for SigV4 only. */
export async function authenticate(config: AuthConfig, request: SignedRequest, sourceIp: string): Promise<Authentication> {
  const { headers } = request;
  const apiKey = headers['x-api-key'];
  if (apiKey !== undefined) {
    return sameKey(apiKey, config.apiKey)
      ? { ok: true, caller: { authMode: 'API_KEY', identity: null, headers } }
      : { ok: false, message: 'You are not authorized to make this call: the x-api-key is not a key of this API.' };
  }
  const authorization = headers.authorization?.trim();
  if (!authorization) {
    return { ok: false, message: 'Missing authorization header: send x-api-key, or a user-pool token in authorization.' };
  }
  if (authorization.startsWith('AWS4-HMAC-SHA256')) {
    const verified = await verifySigV4(request, config.account, sourceIp);
    return verified.ok ? { ok: true, caller: { authMode: 'AWS_IAM', identity: verified.identity, headers } } : verified;
  }
  const verified = await config.verifyToken(tokenFromAuthorization(authorization));
  if (!verified.ok) {
    return {
      ok: false,
      message:
        verified.reason === 'expired' ? 'Token has expired.' : 'Valid authorization header not provided: the token is not a user-pool token of this API.',
    };
  }
  return { ok: true, caller: { authMode: 'AMAZON_COGNITO_USER_POOLS', identity: userPoolIdentity(verified.claims, sourceIp), headers } };
}
