/**
 * APPSYNC_JS source bundled the way the project's build bundles it, then
 * loaded in the local runtime — for tests of the runtime itself. The bundles'
 * folders are removed after the test file.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleAppsyncCode } from '../../infra/bundle';
import { loadResolverCode, type ResolverCode } from '../../local/appsync-js/load-code';
import { useTempDirs } from './temp-dirs';

const tempDir = useTempDirs();

export async function loadAppsyncSource(source: string): Promise<ResolverCode> {
  const dir = await tempDir('appsync-js');
  await writeFile(path.join(dir, 'code.ts'), source);
  await bundleAppsyncCode(path.join(dir, 'code.ts'), path.join(dir, 'code.js'));
  return loadResolverCode(path.join(dir, 'code.js'));
}
