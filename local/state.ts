/**
 * What the local API keeps between runs besides the data: its API key, the
 * key that encrypts pagination tokens, the user pool's signing key, and the
 * local account's IAM key pair (what signs IAM calls to the API and requests
 * to the embedded storage — its own per data directory, never a well-known
 * one). Kept in <dataDir>/local-api.json (mode 600); made fresh in memory mode.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSigningKey, type SigningKey, type UserPool } from './auth/cognito-tokens';

export interface LocalApiState {
  apiKey: string;
  /** base64 of 32 bytes. */
  nextTokenKey: string;
  signingKey: SigningKey;
  userPool: UserPool;
  iamCredentials: AccessKeyPair;
}

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export const STATE_FILE = 'local-api.json';

const STATE_FIELDS: (keyof LocalApiState)[] = ['apiKey', 'nextTokenKey', 'signingKey', 'userPool', 'iamCredentials'];

/** AppSync API keys look like `da2-` and 26 lower-case letters and digits. */
const newApiKey = () =>
  `da2-${randomBytes(20)
    .toString('base64')
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 26)
    .padEnd(26, '0')}`;

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Shaped like an IAM user's long-term key: AKIA and 16 of [A-Z2-7]; a 40-character secret. */
export const newAccessKeyPair = (): AccessKeyPair => ({
  accessKeyId: `AKIA${Array.from(randomBytes(16), (byte) => KEY_ID_ALPHABET[byte % 32]).join('')}`,
  secretAccessKey: randomBytes(30).toString('base64'),
});

async function freshState(region: string): Promise<LocalApiState> {
  return {
    apiKey: newApiKey(),
    nextTokenKey: randomBytes(32).toString('base64'),
    signingKey: await generateSigningKey(),
    userPool: { region, userPoolId: `${region}_CodeCraftLocal`, clientId: 'codecraft-local-client' },
    iamCredentials: newAccessKeyPair(),
  };
}

export async function loadOrCreateState(dataDir: string | undefined, region: string): Promise<LocalApiState> {
  if (!dataDir) return freshState(region);
  // The data directory holds every project's files and the keys: its owner's alone, also when it already existed.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  const file = path.join(dataDir, STATE_FILE);
  let kept: Partial<LocalApiState> | undefined;
  try {
    kept = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalApiState>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (kept && STATE_FIELDS.every((name) => name in kept)) return kept as LocalApiState;
  // A data directory from before a key existed keeps what it has and gains the rest.
  const state = { ...(await freshState(region)), ...kept };
  await writeFile(file, JSON.stringify(state, null, 2), { mode: 0o600 });
  await chmod(file, 0o600);
  return state;
}
