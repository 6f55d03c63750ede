/**
 * A minimal Cognito user pool, over HTTP, for tests only. It STANDS IN FOR AWS
 * (Amazon Cognito), which cannot run here: just enough of the Cognito Identity
 * Provider JSON 1.1 protocol (X-Amz-Target AWSCognitoIdentityProviderService.*)
 * for Amplify v6's signIn / confirmSignIn / fetchAuthSession, pointed at it with
 * Auth.Cognito.userPoolEndpoint:
 *
 * - InitiateAuth USER_SRP_AUTH → PASSWORD_VERIFIER challenge, whose answer is
 *   checked with server-side SRP-6a exactly as Cognito does it (the formulas
 *   match Amplify's client, @aws-amplify/auth …/cognito/utils/srp/);
 * - RespondToAuthChallenge PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED (an
 *   admin-created user's first sign-in);
 * - InitiateAuth REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken (what
 *   Amplify 6.x calls to refresh).
 *
 * Tokens are signed by the local server's own key (LocalServer.signToken), so
 * the local API accepts them as it accepts the user pool's. No MFA, devices,
 * user attributes or lockout: not a model of Cognito beyond this.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { base32Encode, totpMatches } from './totp';
import type { AddressInfo } from 'node:net';
import type { TokenRequest } from '../../local/auth/cognito-tokens';

/** RFC 5054's 3072-bit group, as Amplify's INIT_N; g = 2. */
const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

/** Amplify's getPaddedHex for non-negative values: even length, "00" in front when the top bit is set (Java's toByteArray). */
export function paddedHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}
const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
/** getHashFromHex: SHA-256 of the bytes a hex string spells. */
const hashHex = (hex: string) => sha256Hex(Buffer.from(hex, 'hex'));
const big = (hex: string) => BigInt(`0x${hex}`);

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** k = H(pad(N) ‖ pad(g)). */
const k = big(hashHex(paddedHex(N) + paddedHex(g)));

/** x = H(pad(salt) ‖ H(poolName ‖ userId ‖ ":" ‖ password)); poolName is the user pool ID after its "_". */
const privateKeyX = (poolName: string, userId: string, password: string, salt: bigint) =>
  big(hashHex(paddedHex(salt) + sha256Hex(`${poolName}${userId}:${password}`)));

interface User {
  username: string;
  groups: string[];
  salt: bigint;
  /** v = g^x mod N: Cognito keeps this, never the password. */
  verifier: bigint;
  mustChangePassword: boolean;
  tokenLifetime?: number;
  /** MFA required (the deployed pool's setting): TOTP set up at the first sign-in, a code at every one. */
  mfa: boolean;
  /** The authenticator's secret, base32, once set up. */
  totpSecret?: string;
}

interface PendingSrp {
  kind: 'srp';
  userId: string;
  b: bigint;
  B: bigint;
  A: bigint;
  secretBlock: string;
}
interface PendingNewPassword {
  kind: 'new-password';
  userId: string;
}

/** After the password: TOTP to set up (its secret once associated, `verified` once a code proved it), or a code to give. */
interface PendingMfa {
  kind: 'mfa-setup' | 'totp';
  userId: string;
  secret?: string;
  verified?: boolean;
}

export interface CognitoEmulatorOptions {
  userPoolId: string;
  clientId: string;
  /** Signs the pool's access and ID tokens: the local server's signToken, so its API accepts them. */
  signToken(request: TokenRequest): Promise<string>;
  /** Token lifetime in seconds (Cognito's default: one hour). */
  tokenLifetime?: number;
}

export interface CognitoEmulator {
  endpoint: string;
  /** As AdminCreateUser with a temporary password: the first sign-in meets NEW_PASSWORD_REQUIRED. */
  addUser(user: { username: string; password: string; groups?: string[]; temporary?: boolean; tokenLifetime?: number; mfa?: boolean }): void;
  /** A user's authenticator secret (base32), once set up: what a test's "authenticator app" holds. */
  totpSecretOf(username: string): string | undefined;
  /** Every X-Amz-Target answered, in order ("InitiateAuth:USER_SRP_AUTH", "RespondToAuthChallenge:PASSWORD_VERIFIER", …). */
  calls: string[];
  close(): Promise<void>;
}

class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startCognitoEmulator(options: CognitoEmulatorOptions): Promise<CognitoEmulator> {
  const poolName = options.userPoolId.split('_')[1] ?? '';
  const users = new Map<string, User>();
  const sessions = new Map<string, PendingSrp | PendingNewPassword | PendingMfa>();
  const refreshTokens = new Map<string, string>();
  const calls: string[] = [];

  const setPassword = (user: User, password: string) => {
    user.salt = big(randomBytes(16).toString('hex'));
    user.verifier = modPow(g, privateKeyX(poolName, user.username, password, user.salt), N);
  };

  const tokens = async (user: User, withRefresh: boolean) => {
    const expiresIn = user.tokenLifetime ?? options.tokenLifetime ?? 3600;
    const result: Record<string, unknown> = {
      AccessToken: await options.signToken({ username: user.username, groups: user.groups, tokenUse: 'access', expiresIn }),
      IdToken: await options.signToken({ username: user.username, groups: user.groups, tokenUse: 'id', expiresIn }),
      ExpiresIn: expiresIn,
      TokenType: 'Bearer',
    };
    if (withRefresh) {
      const refreshToken = randomBytes(32).toString('base64url');
      refreshTokens.set(refreshToken, user.username);
      result.RefreshToken = refreshToken;
    }
    return { ChallengeParameters: {}, AuthenticationResult: result };
  };

  const checkClient = (body: Record<string, any>) => {
    if (body.ClientId !== options.clientId) throw new CognitoError('ResourceNotFoundException', `User pool client ${body.ClientId} does not exist.`);
  };
  const userOf = (username: unknown): User => {
    const user = typeof username === 'string' ? users.get(username) : undefined;
    // Cognito's answer for an unknown user, unless user-existence errors are revealed.
    if (!user) throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
    return user;
  };
  const newSession = (pending: PendingSrp | PendingNewPassword | PendingMfa) => {
    const id = randomBytes(48).toString('base64url');
    sessions.set(id, pending);
    return id;
  };
  const fromRefreshToken = async (refreshToken: unknown) => {
    const username = typeof refreshToken === 'string' ? refreshTokens.get(refreshToken) : undefined;
    if (!username) throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
    // Without rotation Cognito returns no new refresh token: the old one stays good.
    return tokens(userOf(username), false);
  };

  async function initiateAuth(body: Record<string, any>) {
    checkClient(body);
    const parameters = body.AuthParameters ?? {};
    if (body.AuthFlow === 'REFRESH_TOKEN_AUTH' || body.AuthFlow === 'REFRESH_TOKEN') return fromRefreshToken(parameters.REFRESH_TOKEN);
    // The app client allows SRP and refresh only (infra/constructs/auth.ts).
    if (body.AuthFlow !== 'USER_SRP_AUTH') throw new CognitoError('InvalidParameterException', `${body.AuthFlow} flow not enabled for this client`);
    const user = userOf(parameters.USERNAME);
    const A = typeof parameters.SRP_A === 'string' ? big(parameters.SRP_A) : 0n;
    if (A % N === 0n) throw new CognitoError('InvalidParameterException', 'SRP_A is invalid.');
    // B = k·v + g^b mod N.
    const b = big(randomBytes(128).toString('hex'));
    const B = (k * user.verifier + modPow(g, b, N)) % N;
    const secretBlock = randomBytes(64).toString('base64');
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: newSession({ kind: 'srp', userId: user.username, b, B, A, secretBlock }),
      ChallengeParameters: {
        SALT: user.salt.toString(16),
        SECRET_BLOCK: secretBlock,
        SRP_B: B.toString(16),
        USERNAME: user.username,
        USER_ID_FOR_SRP: user.username,
      },
    };
  }

  function verifyPasswordClaim(pending: PendingSrp, responses: Record<string, any>) {
    const user = userOf(pending.userId);
    if (responses.PASSWORD_CLAIM_SECRET_BLOCK !== pending.secretBlock) throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
    // u = H(pad(A) ‖ pad(B)); S = (A · v^u)^b mod N — the same S as the client's (B − k·g^x)^(a + u·x).
    const u = big(hashHex(paddedHex(pending.A) + paddedHex(pending.B)));
    const S = modPow(pending.A * modPow(user.verifier, u, N), pending.b, N);
    // HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key" ‖ 0x01), first 16 bytes.
    const prk = createHmac('sha256', Buffer.from(paddedHex(u), 'hex'))
      .update(Buffer.from(paddedHex(S), 'hex'))
      .digest();
    const key = createHmac('sha256', prk)
      .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
      .digest()
      .subarray(0, 16);
    // Signature = base64(HMAC-SHA256(key, poolName ‖ userId ‖ secret block bytes ‖ timestamp)).
    const timestamp = String(responses.TIMESTAMP ?? '');
    const expected = createHmac('sha256', key)
      .update(
        Buffer.concat([
          Buffer.from(poolName, 'utf8'),
          Buffer.from(pending.userId, 'utf8'),
          Buffer.from(pending.secretBlock, 'base64'),
          Buffer.from(timestamp, 'utf8'),
        ]),
      )
      .digest('base64');
    // "ddd MMM D HH:mm:ss UTC YYYY", within a few minutes of now.
    const when = Date.parse(timestamp.replace(/^\w{3} (\w{3}) (\d+) ([\d:]+) UTC (\d{4})$/, '$1 $2 $4 $3 UTC'));
    if (!Number.isFinite(when) || Math.abs(Date.now() - when) > 5 * 60_000) throw new CognitoError('NotAuthorizedException', 'Incorrect timestamp.');
    if (responses.PASSWORD_CLAIM_SIGNATURE !== expected) throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
    return user;
  }

  /** The password is right: tokens, unless the pool's MFA wants TOTP set up or a code first. */
  async function afterPassword(user: User) {
    if (!user.mfa) return tokens(user, true);
    if (user.totpSecret) {
      return {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: newSession({ kind: 'totp', userId: user.username }),
        ChallengeParameters: { USER_ID_FOR_SRP: user.username },
      };
    }
    return {
      ChallengeName: 'MFA_SETUP',
      Session: newSession({ kind: 'mfa-setup', userId: user.username }),
      ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]', USER_ID_FOR_SRP: user.username },
    };
  }

  /** The session of an MFA set-up in progress, taken (sessions are single-use). */
  function setupSession(body: Record<string, any>): PendingMfa {
    const pending = typeof body.Session === 'string' ? sessions.get(body.Session) : undefined;
    if (pending?.kind !== 'mfa-setup') throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    sessions.delete(body.Session);
    return pending;
  }

  async function respondToAuthChallenge(body: Record<string, any>) {
    checkClient(body);
    const pending = typeof body.Session === 'string' ? sessions.get(body.Session) : undefined;
    if (!pending) throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    sessions.delete(body.Session);
    const responses = body.ChallengeResponses ?? {};
    if (body.ChallengeName === 'PASSWORD_VERIFIER' && pending.kind === 'srp') {
      const user = verifyPasswordClaim(pending, responses);
      if (!user.mustChangePassword) return afterPassword(user);
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: newSession({ kind: 'new-password', userId: user.username }),
        ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: '[]', userAttributes: '{}' },
      };
    }
    if (body.ChallengeName === 'NEW_PASSWORD_REQUIRED' && pending.kind === 'new-password') {
      const user = userOf(pending.userId);
      const password = responses.NEW_PASSWORD;
      if (typeof password !== 'string' || password.length < 8)
        throw new CognitoError('InvalidPasswordException', 'Password does not conform to policy: Password not long enough');
      setPassword(user, password);
      user.mustChangePassword = false;
      return afterPassword(user);
    }
    if (body.ChallengeName === 'MFA_SETUP' && pending.kind === 'mfa-setup' && pending.verified) return tokens(userOf(pending.userId), true);
    if (body.ChallengeName === 'SOFTWARE_TOKEN_MFA' && pending.kind === 'totp') {
      const user = userOf(pending.userId);
      if (!totpMatches(user.totpSecret!, responses.SOFTWARE_TOKEN_MFA_CODE)) {
        // A mistyped code may be tried again within the same session.
        sessions.set(body.Session, pending);
        throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
      }
      return tokens(user, true);
    }
    throw new CognitoError('InvalidParameterException', `Unexpected challenge ${body.ChallengeName}.`);
  }

  const handlers: Record<string, (body: Record<string, any>) => Promise<unknown>> = {
    InitiateAuth: initiateAuth,
    RespondToAuthChallenge: respondToAuthChallenge,
    AssociateSoftwareToken: async (body) => {
      const pending = setupSession(body);
      const secret = base32Encode(randomBytes(20));
      return { SecretCode: secret, Session: newSession({ ...pending, secret }) };
    },
    VerifySoftwareToken: async (body) => {
      const pending = setupSession(body);
      if (!pending.secret || !totpMatches(pending.secret, body.UserCode)) throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
      userOf(pending.userId).totpSecret = pending.secret;
      return { Status: 'SUCCESS', Session: newSession({ ...pending, verified: true }) };
    },
    GetTokensFromRefreshToken: async (body) => {
      checkClient(body);
      return fromRefreshToken(body.RefreshToken);
    },
  };

  // Cognito answers browsers of any origin: sign-in pages call it directly.
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'content-type, x-amz-target, x-amz-user-agent, cache-control',
    'access-control-allow-methods': 'POST',
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    // Cognito allows whatever headers the SDK asks for (amz-sdk-request, amz-sdk-invocation-id, …).
    if (req.method === 'OPTIONS')
      return void res.writeHead(204, { ...cors, 'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*' }).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^AWSCognitoIdentityProviderService\./, '');
    let status = 200;
    let answer: unknown;
    try {
      const handler = Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;
      if (req.method !== 'POST' || !handler) throw new CognitoError('UnknownOperationException', `Not emulated: ${req.method} ${target}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, any>;
      calls.push([operation, body.AuthFlow ?? body.ChallengeName].filter(Boolean).join(':'));
      answer = await handler(body);
    } catch (error) {
      const known = error instanceof CognitoError ? error : new CognitoError('InternalErrorException', String(error), 500);
      status = known.status;
      answer = { __type: known.type, message: known.message };
    }
    res.writeHead(status, { ...cors, 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(answer));
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    totpSecretOf: (username) => users.get(username)?.totpSecret,
    addUser({ username, password, groups = [], temporary = false, tokenLifetime, mfa = false }) {
      const user: User = { username, groups, salt: 0n, verifier: 0n, mustChangePassword: temporary, tokenLifetime, mfa };
      setPassword(user, password);
      users.set(username, user);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
