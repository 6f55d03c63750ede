/**
 * Cognito-shaped JWTs, signed by the local server's own RSA key and verified
 * as AppSync verifies Cognito tokens: RS256 signature against the pool's
 * JWKS (the header naming its `kid`), issuer, expiry, and token_use `access`
 * or `id`; `exp`, `iat` and `token_use` must be present, as in every Cognito token.
 */
import { createLocalJWKSet, errors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';

export interface UserPool {
  region: string;
  userPoolId: string;
  clientId: string;
}

export const issuerOf = (pool: UserPool): string => `https://cognito-idp.${pool.region}.amazonaws.com/${pool.userPoolId}`;

/** The key pair, as kept in the data directory (JWK, private part included). */
export interface SigningKey {
  kid: string;
  privateJwk: JWK;
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid: randomUUID(), privateJwk: await exportJWK(privateKey) };
}

/** The public half, as Cognito publishes it at /{userPoolId}/.well-known/jwks.json. */
export function publicJwks(key: SigningKey): { keys: JWK[] } {
  const { kid, privateJwk } = key;
  const { kty, n, e } = privateJwk;
  return { keys: [{ kty, n, e, kid, alg: 'RS256', use: 'sig' }] };
}

export interface TokenRequest {
  username: string;
  groups?: string[];
  tokenUse?: 'access' | 'id';
  email?: string;
  /** Lifetime in seconds; Cognito's default is one hour. */
  expiresIn?: number;
}

export async function signToken(pool: UserPool, key: SigningKey, request: TokenRequest): Promise<string> {
  const tokenUse = request.tokenUse ?? 'access';
  const sub = `local-${request.username}`;
  const claims: JWTPayload = {
    sub,
    ...(request.groups?.length ? { 'cognito:groups': request.groups } : {}),
    token_use: tokenUse,
    auth_time: Math.floor(Date.now() / 1000),
    event_id: randomUUID(),
    ...(tokenUse === 'access'
      ? { client_id: pool.clientId, username: request.username, scope: 'aws.cognito.signin.user.admin', origin_jti: randomUUID() }
      : { aud: pool.clientId, 'cognito:username': request.username, ...(request.email ? { email: request.email, email_verified: true } : {}) }),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuer(issuerOf(pool))
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(Math.floor(Date.now() / 1000) + (request.expiresIn ?? 3600))
    .sign(await importJWK(key.privateJwk, 'RS256'));
}

/** The token in an `authorization` header: clients send it raw (AppSync's clients) or after `Bearer `. */
export const tokenFromAuthorization = (authorization: string): string => authorization.replace(/^\s*Bearer\s+/i, '').trim();

export type VerifiedToken = { ok: true; claims: JWTPayload } | { ok: false; reason: 'expired' | 'invalid' };

export function tokenVerifier(pool: UserPool, key: SigningKey) {
  const jwks = createLocalJWKSet(publicJwks(key));
  return async (token: string): Promise<VerifiedToken> => {
    try {
      // Cognito's tokens always carry these: one without them was not made by the pool.
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        issuer: issuerOf(pool),
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'token_use'],
      });
      if (!protectedHeader.kid) return { ok: false, reason: 'invalid' };
      const use = payload.token_use;
      const forThisClient = use === 'access' ? payload.client_id === pool.clientId : use === 'id' && payload.aud === pool.clientId;
      return forThisClient ? { ok: true, claims: payload } : { ok: false, reason: 'invalid' };
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  };
}
