/**
 * APPSYNC_JS source bundled the way the project's build bundles it, then
 * loaded in the local runtime — for tests of the runtime itself. Each test
 * file's bundles live in temporary folders removed after the file's tests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { bundleAppsyncCode } from '../../infra/bundle';
import { loadResolverCode, type ResolverCode } from '../../local/appsync-js/load-code';

const tempDirs: string[] = [];
afterAll(() => Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

export async function loadAppsyncSource(source: string): Promise<ResolverCode> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'appsync-js-'));
  tempDirs.push(dir);
  await writeFile(path.join(dir, 'code.ts'), source);
  await bundleAppsyncCode(path.join(dir, 'code.ts'), path.join(dir, 'code.js'));
  return loadResolverCode(path.join(dir, 'code.js'));
}
