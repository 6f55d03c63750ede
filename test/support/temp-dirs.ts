import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Makes fresh folders under the system temp directory, removed after the test file. */
export function useTempDirs(): (purpose: string) => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (purpose) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `codecraft-files-${purpose}-`));
    made.push(dir);
    return dir;
  };
}
