/**
 * `npm start` (local/start.mjs) as a child process on a data directory, as
 * a user runs it; for tests and bench scripts (no vitest here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../infra/bundle';
import type { LocalEndpoints } from '../../local/endpoints';

export interface StartedProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

export function spawnNpmStart(dataDir: string, env: Record<string, string> = {}): StartedProcess {
  const child = spawn(process.execPath, ['local/start.mjs'], { cwd: projectRoot, env: { ...process.env, PORT: '0', DATA_DIR: dataDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Starts the server and waits until it serves; its endpoints as endpoints.json gives them. */
export async function startNpmStart(dataDir: string, timeoutMs = 30_000): Promise<StartedProcess & { endpoints: LocalEndpoints }> {
  const started = spawnNpmStart(dataDir);
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
