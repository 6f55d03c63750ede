/**
 * Works out who is calling from the request headers, as AppSync does before
 * any field runs: an `x-api-key` header means API-key auth; an
 * `authorization` header carries a user-pool JWT (raw, or after `Bearer `).
 * A caller that cannot be authenticated gets AppSync's 401 refusal.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Caller } from '../graphql/graphql-api';
import { cognitoIdentity, type VerifiedToken } from './cognito-tokens';

export interface AuthConfig {
  apiKey: string;
  verifyToken(token: string): Promise<VerifiedToken>;
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; message: string };

const sameKey = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `headers`: names in lower case. */
export async function authenticate(config: AuthConfig, headers: Record<string, string>, sourceIp: string): Promise<Authentication> {
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
    return { ok: false, message: 'IAM (SigV4) authorization is available on AWS only; locally, use the API key or a user-pool token (npm run token).' };
  }
  const verified = await config.verifyToken(authorization.replace(/^Bearer\s+/i, ''));
  if (!verified.ok) {
    return {
      ok: false,
      message: verified.reason === 'expired' ? 'Token has expired.' : 'Valid authorization header not provided: the token is not a user-pool token of this API.',
    };
  }
  return { ok: true, caller: { authMode: 'AMAZON_COGNITO_USER_POOLS', identity: cognitoIdentity(verified.claims, sourceIp), headers } };
}
