/** `npm start` (local/start.mjs) as a child process, as a user runs it: its output kept, its exit awaited. No vitest here: bench scripts use it too. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../infra/bundle';
import type { LocalEndpoints } from '../../local/endpoints';

export interface NpmStartProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  exited: Promise<number | null>;
}

export function spawnNpmStart(env: NodeJS.ProcessEnv): NpmStartProcess {
  const child = spawn(process.execPath, ['local/start.mjs'], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A test that fails before stopping its server must not leave it running after the test process ends.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  void exited.then(() => process.off('exit', reap));
  return { child, output: () => output, exited };
}

/** `npm start` on `dataDir` (any free port), once it serves: its endpoints as endpoints.json gives them. */
export async function startNpmStart(dataDir: string, timeoutMs = 30_000): Promise<NpmStartProcess & { endpoints: LocalEndpoints }> {
  const started = spawnNpmStart({ PORT: '0', DATA_DIR: dataDir });
  let exitCode: number | null | undefined;
  void started.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes('Ctrl-C stops it.')) {
    if (exitCode !== undefined || Date.now() > deadline) throw new Error(`npm start did not start (exit ${exitCode}):\n${started.output()}`);
    await sleep(25);
  }
  const endpoints = JSON.parse(await readFile(path.join(dataDir, 'endpoints.json'), 'utf8')) as LocalEndpoints;
  return { ...started, endpoints };
}
