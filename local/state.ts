/**
 * What the local API keeps between runs besides the data: its API key, the
 * key that encrypts pagination tokens, and the user pool's signing key.
 * Kept in <dataDir>/local-api.json (mode 600); made fresh in memory mode.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSigningKey, type SigningKey, type UserPool } from './auth/cognito-tokens';

export interface LocalApiState {
  apiKey: string;
  /** base64 of 32 bytes. */
  nextTokenKey: string;
  signingKey: SigningKey;
  userPool: UserPool;
}

export const STATE_FILE = 'local-api.json';

/** AppSync API keys look like `da2-` and 26 lower-case letters and digits. */
const newApiKey = () => `da2-${randomBytes(20).toString('base64').replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 26).padEnd(26, '0')}`;

async function freshState(region: string): Promise<LocalApiState> {
  return {
    apiKey: newApiKey(),
    nextTokenKey: randomBytes(32).toString('base64'),
    signingKey: await generateSigningKey(),
    userPool: { region, userPoolId: `${region}_CodeCraftLocal`, clientId: 'codecraft-local-client' },
  };
}

export async function loadOrCreateState(dataDir: string | undefined, region: string): Promise<LocalApiState> {
  if (!dataDir) return freshState(region);
  const file = path.join(dataDir, STATE_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LocalApiState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const state = await freshState(region);
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}
