/**
 * Signing in to a deployed stack's Cognito user pool, with Amplify v6
 * (aws-amplify/auth): SRP (the app client allows nothing else), a first
 * sign-in's NEW_PASSWORD_REQUIRED, TOTP set-up and TOTP codes. Tokens are kept
 * in a file under the user's config directory (mode 600), one file per pool,
 * client and user, so the next run reuses them and Amplify refreshes them.
 */
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, type SignInOutput } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CliError } from './errors';

export interface CognitoPool {
  userPoolId: string;
  clientId: string;
  /** A Cognito-compatible endpoint instead of AWS's (FILES_COGNITO_ENDPOINT), e.g. a local emulation. */
  endpoint?: string;
}

export interface SignInIo {
  env: NodeJS.ProcessEnv;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
}

/** $XDG_CONFIG_HOME/codecraft-files, else ~/.config/codecraft-files. */
export function configDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'codecraft-files');
}

const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');

/** Amplify's KeyValueStorage, kept whole in one JSON file, written atomically with mode 600. */
export function fileKeyValueStorage(file: string) {
  let cache: Record<string, string> | undefined;
  const load = async () => {
    if (!cache) {
      try {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
        cache = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
      } catch {
        cache = {};
      }
    }
    return cache;
  };
  const save = async () => {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(cache), { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  };
  return {
    async setItem(key: string, value: string) {
      (await load())[key] = value;
      await save();
    },
    async getItem(key: string) {
      return (await load())[key] ?? null;
    },
    async removeItem(key: string) {
      delete (await load())[key];
      await save();
    },
    async clear() {
      cache = {};
      await save();
    },
  };
}

/** One line from stdin; without echo when stdin is a terminal. */
async function prompt(question: string, io: SignInIo, secret: boolean): Promise<string> {
  const input = io.stdin ?? process.stdin;
  io.stderr.write(question);
  const muted = secret && Boolean(input.isTTY);
  // On a terminal, readline echoes into `output`: a sink that drops everything keeps a password off the screen.
  const rl = muted
    ? createInterface({ input, output: new Writable({ write: (_chunk, _encoding, done) => done() }), terminal: true })
    : createInterface({ input, terminal: false });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      rl.once('line', resolve);
      rl.once('close', () => {
        io.stderr.write('\n');
        reject(new CliError('NoInput', `No answer to "${question.trim()}" on stdin.`));
      });
    });
    // (The terminal moves to the next line itself.)
    return answer.trim();
  } finally {
    rl.close();
  }
}

async function answerSteps(first: SignInOutput, io: SignInIo): Promise<void> {
  let output = first;
  for (;;) {
    const step = output.nextStep;
    switch (step.signInStep) {
      case 'DONE':
        return;
      case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED': {
        const newPassword = io.env.FILES_NEW_PASSWORD || (await prompt('A new password is required. New password: ', io, true));
        output = await confirmSignIn({ challengeResponse: newPassword });
        break;
      }
      case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP': {
        io.stderr.write(`Set up an authenticator app with this URI:\n${step.totpSetupDetails.getSetupUri('CodeCraft Files').toString()}\n`);
        output = await confirmSignIn({ challengeResponse: await prompt('Code from the app: ', io, false) });
        break;
      }
      case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
        output = await confirmSignIn({ challengeResponse: await prompt('Code from the authenticator app: ', io, false) });
        break;
      default:
        throw new CliError('UnsupportedChallenge', `Cognito asks for ${step.signInStep}, which files cannot answer.`);
    }
  }
}

const cognitoError = (error: unknown): CliError => {
  if (error instanceof CliError) return error;
  const { name, message } = error as { name?: string; message?: string };
  return new CliError(name || 'SignInFailed', message || String(error));
};

/** A cached token with less life than this is refreshed before use. */
const MIN_TOKEN_LIFE_SECONDS = 10 * 60;
const secondsLeft = (exp: number | undefined) => (exp ?? 0) - Date.now() / 1000;

/** The user's access token: cached with ten minutes or more to live (else refreshed), else from a fresh sign-in. */
export async function cognitoAccessToken(pool: CognitoPool, username: string, io: SignInIo): Promise<string> {
  // The user name hashed, not cleaned: "bob@x.io" and "bob_x.io" must never share a cache.
  const user = createHash('sha256').update(username).digest('hex').slice(0, 32);
  const file = path.join(configDir(io.env), `tokens-${safe(pool.userPoolId)}-${safe(pool.clientId)}-${user}.json`);
  // A chosen endpoint is no mistake: without this, Amplify warns of it on stderr at every run.
  if (pool.endpoint) ConsoleLogger.LOG_LEVEL = 'ERROR';
  Amplify.configure({
    Auth: { Cognito: { userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, ...(pool.endpoint ? { userPoolEndpoint: pool.endpoint } : {}) } },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(fileKeyValueStorage(file));
  try {
    // The file is this user's alone. (No check of the token's `username`: with email sign-in, Cognito's username is not what was typed.)
    let cached = await fetchAuthSession().catch(() => undefined);
    // Amplify refreshes only within seconds of expiry; a token handed out (files token, a long smoke run) must last.
    if (cached?.tokens?.accessToken && secondsLeft(cached.tokens.accessToken.payload.exp) < MIN_TOKEN_LIFE_SECONDS) {
      cached = await fetchAuthSession({ forceRefresh: true }).catch(() => undefined);
    }
    if (cached?.tokens?.accessToken) return cached.tokens.accessToken.toString();
    const password = io.env.FILES_PASSWORD || (await prompt(`Password for ${username}: `, io, true));
    await answerSteps(await signIn({ username, password, options: { authFlowType: 'USER_SRP_AUTH' } }), io);
    const session = await fetchAuthSession();
    if (!session.tokens?.accessToken) throw new CliError('SignInFailed', `Signed in as ${username}, but Cognito gave no access token.`);
    return session.tokens.accessToken.toString();
  } catch (error) {
    throw cognitoError(error);
  }
}
