/**
 * Who `files` calls as: an API key (the local server's own by default), or a
 * user-pool user — against the local server, with the token its POST
 * /local/token hands out; against a deployed stack, with the access token of a
 * Cognito sign-in (cli/cognito.ts). Each mode yields the HTTP headers of a GraphQL
 * request and the auth object AppSync's real-time protocol repeats in the
 * WebSocket handshake and in every start message.
 */
import { cognitoAccessToken, type SignInIo } from './cognito';
import { CliError, UsageError } from './errors';
import { networkError, readJson, send } from './http';
import type { Target } from './target';

export interface AuthOptions {
  apiKey?: string;
  user?: string;
  groups?: string[];
}

export interface Auth {
  /** For messages: "API key", "user alice". */
  describe: string;
  /** A user-pool token (what POST /upload and curl need); none for an API key. */
  token?: string;
  httpHeaders: Record<string, string>;
  /** The auth object of AppSync's real-time protocol; `host` is the GraphQL endpoint's, as AppSync checks. */
  realtimeHeader(graphqlUrl: string): Record<string, string>;
}

/** AppSync's x-amz-date form: 20261125T120000Z. */
const amzDate = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function apiKeyAuth(key: string): Auth {
  return {
    describe: 'API key',
    httpHeaders: { 'x-api-key': key },
    realtimeHeader: (graphqlUrl) => ({ host: new URL(graphqlUrl).host, 'x-amz-date': amzDate(new Date()), 'x-api-key': key }),
  };
}

function tokenAuth(username: string, token: string): Auth {
  return {
    describe: `user ${username}`,
    token,
    httpHeaders: { authorization: token },
    realtimeHeader: (graphqlUrl) => ({ Authorization: token, host: new URL(graphqlUrl).host }),
  };
}

async function localToken(url: string, username: string, groups: string[], ca: string | undefined, signal: AbortSignal): Promise<string> {
  const response = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, groups }),
    signal,
    ca,
  }).catch((error) => {
    throw signal.aborted ? error : networkError(url, error);
  });
  const body = (await readJson(response)) as { token?: unknown; errorType?: unknown; message?: unknown } | undefined;
  if (response.statusCode === 200 && typeof body?.token === 'string') return body.token;
  const errorType = typeof body?.errorType === 'string' ? body.errorType : `HTTP${response.statusCode}`;
  const message = typeof body?.message === 'string' ? body.message : `${url} gave no token.`;
  throw new CliError(errorType, message);
}

export async function resolveAuth(target: Target, options: AuthOptions, signal: AbortSignal, io: SignInIo): Promise<Auth> {
  // FILES_API_KEY keeps the key out of the command line (npm echoes a script's arguments; ps and shell history keep them).
  const apiKey = options.apiKey ?? io.env.FILES_API_KEY;
  if (apiKey !== undefined && options.user !== undefined) throw new UsageError('Choose one: --api-key (or FILES_API_KEY) or --user.');
  if (options.groups !== undefined && options.user === undefined) throw new UsageError('--groups goes with --user.');
  if (options.user !== undefined) {
    if (target.cognito) {
      // Cognito decides the groups; --groups would be a claim nobody honours.
      if (options.groups !== undefined) throw new UsageError("--groups is for the local server: a Cognito user's groups are the user pool's.");
      return tokenAuth(options.user, await cognitoAccessToken(target.cognito, options.user, io));
    }
    if (!target.localTokenUrl) {
      throw new UsageError(
        `No user pool for ${target.source}: --user needs a local server, or cdk-outputs.json with UserPoolId and UserPoolClientId. Use --api-key.`,
      );
    }
    return tokenAuth(options.user, await localToken(target.localTokenUrl, options.user, options.groups ?? [], target.ca, signal));
  }
  const key = apiKey ?? target.apiKey;
  if (!key) throw new UsageError(`No API key for ${target.source}: set FILES_API_KEY (or pass --api-key), or sign in with --user.`);
  return apiKeyAuth(key);
}
