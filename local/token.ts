/**
 * `npm run token -- --user alice --groups project-123[,admins] [--id] [--expires 3600]`
 * prints a user-pool token the local API (same DATA_DIR) accepts in the
 * `authorization` header: an access token, or an ID token with --id.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signToken } from './auth/cognito-tokens';
import { dataDirSetting } from './data-dir';
import { loadOrCreateState } from './state';

const { values } = parseArgs({
  options: {
    user: { type: 'string' },
    groups: { type: 'string', default: '' },
    id: { type: 'boolean', default: false },
    expires: { type: 'string', default: '3600' },
  },
});

if (!values.user) {
  console.error('Usage: npm run token -- --user <name> [--groups project-123,admins] [--id] [--expires seconds]');
  process.exit(2);
}
const dataDir = path.resolve(dataDirSetting());
const state = await loadOrCreateState(dataDir, 'us-east-1');
const token = await signToken(state.userPool, state.signingKey, {
  username: values.user,
  groups: values.groups
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean),
  tokenUse: values.id ? 'id' : 'access',
  expiresIn: Number(values.expires),
});
console.log(token);
