/**
 * The `files` command line as a user runs it: its bin (cli/files.mjs) in a
 * child process, against a local server started in this test process over
 * real HTTP and WebSocket, found through the endpoints.json `npm start` writes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { projectRoot } from '../../infra/bundle';
import { endpointsOf } from '../../local/endpoints';
import { startLocalServer, type LocalServer } from '../../local/server';
import { useTempDirs } from '../support/temp-dirs';

// tsconfig.json's "include" has no cli/ entry (and it is not this suite's to edit): importing the CLI's entry
// here puts every module of cli/ under `npm run typecheck`, since tsc checks whatever a checked file imports.
export type { RunOptions } from '../../cli/main';

export const FILES_BIN = path.join(projectRoot, 'cli', 'files.mjs');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  /** Everything written so far. */
  output(): { stdout: string; stderr: string };
  finished: Promise<Finished>;
}

export interface FilesCli {
  server: LocalServer;
  dataDir: string;
  /** The CLI's working directory: where test files are written and downloads land. */
  workDir: string;
  /** XDG_CONFIG_HOME of every run: where a Cognito sign-in caches its tokens (never the real ~/.config). */
  configHome: string;
  /** `env` adds to (or, with undefined, removes from) the CLI's environment. */
  /** With `stdin: 'pipe'`: stdin is a pipe the test writes to (prompts), else closed. */
  start(args: string[], env?: NodeJS.ProcessEnv, stdin?: 'pipe'): Running;
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<Finished>;
}

export function useFilesCli(): FilesCli {
  const tempDir = useTempDirs();
  const fixture = {} as FilesCli;
  beforeAll(async () => {
    fixture.dataDir = await tempDir('cli-data');
    fixture.workDir = await tempDir('cli-work');
    fixture.configHome = await tempDir('cli-config');
    fixture.server = await startLocalServer({ port: 0, dataDir: fixture.dataDir });
    const { server } = fixture;
    // What `npm start` writes; the server itself writes no file.
    await writeFile(path.join(fixture.dataDir, 'endpoints.json'), `${JSON.stringify(endpointsOf(server), null, 2)}\n`);
  });
  afterAll(async () => {
    await fixture.server?.close();
  });

  fixture.start = (args, env = {}, stdin) => {
    const child = spawn(process.execPath, [FILES_BIN, ...args], {
      cwd: fixture.workDir,
      // As after `npm start` with this DATA_DIR; not as under `npm run files` (which changes directory to INIT_CWD).
      env: { ...process.env, DATA_DIR: fixture.dataDir, XDG_CONFIG_HOME: fixture.configHome, npm_lifecycle_event: undefined, INIT_CWD: undefined, ...env },
      stdio: [stdin ?? 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const finished = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
    return { child, output: () => ({ stdout, stderr }), finished };
  };
  fixture.run = (args, env) => fixture.start(args, env).finished;
  return fixture;
}

/** Waits until the running CLI has written something matching `pattern` to `stream`; answers the match. */
export async function waitFor(running: Running, stream: 'stdout' | 'stderr', pattern: RegExp, timeout = 10_000): Promise<RegExpExecArray> {
  await expect.poll(() => pattern.test(running.output()[stream]), { timeout, interval: 10 }).toBe(true);
  return pattern.exec(running.output()[stream])!;
}
