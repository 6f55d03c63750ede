/** `npm start` (local/start.mjs) as a child process, as a user runs it: its output kept, its exit awaited. */
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../infra/bundle';

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
  return { child, output: () => output, exited };
}
