/**
 * `npm run smoke` as CI and operators run it: npm, the CLI's bin, a real `npm
 * start` child process on a temporary DATA_DIR and a free port, found through
 * the endpoints.json it writes. Every step passes, nothing is left behind;
 * with the server gone, the first step fails and the run stops there.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/bundle';
import { postGraphQL } from '../support/local-server';
import { spawnNpmStart } from '../support/npm-start';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run smoke` from `cwd` (not the repository: no cdk-outputs.json there), as after `npm start` with DATA_DIR=`dataDir`. */
function smoke(cwd: string, dataDir: string, configHome: string): Promise<Run> {
  const child = spawn(npm, ['--prefix', projectRoot, 'run', '-s', 'smoke'], {
    cwd,
    env: { ...process.env, DATA_DIR: dataDir, XDG_CONFIG_HOME: configHome },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const TIME = '\\s*\\d+(?:\\.\\d)? m?s';
const step = (status: string, name: string) => new RegExp(`^${status}${TIME}  ${name.replace(/[/]/g, '\\/')}(: .+)?$`);

describe('npm run smoke', () => {
  it('passes every step against `npm start`, one timed line each, and deletes its files; fails at the first step once the server is gone', async () => {
    const dataDir = await tempDir('smoke-data');
    const elsewhere = await tempDir('smoke-cwd');
    const configHome = await tempDir('smoke-config');
    const server = spawnNpmStart({ PORT: '0', DATA_DIR: dataDir });
    try {
      await expect.poll(server.output, { timeout: 20_000, interval: 50 }).toContain('Ctrl-C stops it.');
      const endpoints = JSON.parse(await readFile(path.join(dataDir, 'endpoints.json'), 'utf8'));

      const passed = await smoke(elsewhere, dataDir, configHome);

      expect([passed.code, passed.stderr]).toEqual([0, '']);
      const [title, ...lines] = passed.stdout.trimEnd().split('\n');
      const [, projectID] = /^Smoke test of (?:\S+) \(.+endpoints\.json\), project (smoke-[0-9a-f]{8})$/.exec(title)!;
      const names = ['sign in', 'subscribe', 'upload inline', 'upload large', 'list', 'subscription events', 'POST /upload', 'download and compare', 'delete'];
      expect(lines).toHaveLength(names.length + 1);
      names.forEach((name, index) => expect(lines[index]).toMatch(step('ok', name)));
      expect(lines[0]).toMatch(/: user smoke$/);
      expect(lines[3]).toMatch(/: createUploadUrl, 3 presigned parts, completeUpload, 34\.6 MB$/);
      expect(lines[7]).toMatch(/: 3 files, bytes identical \(sha256\)$/);
      expect(lines.at(-1)).toMatch(/^passed in \d+(\.\d)? m?s$/);
      const listed = await postGraphQL(
        endpoints.graphqlUrl,
        { query: `{ filesByProject(projectID: "${projectID}") { items { fileID } } }` },
        { 'x-api-key': endpoints.apiKey },
      );
      expect(listed.body).toEqual({ data: { filesByProject: { items: [] } } });
    } finally {
      server.child.kill('SIGINT');
    }
    expect(await server.exited).toBe(0);

    const failed = await smoke(elsewhere, dataDir, configHome);

    expect(failed.code).toBe(1);
    expect(failed.stdout.trimEnd().split('\n').slice(1)).toEqual([expect.stringMatching(step('FAILED', 'sign in'))]);
    expect(failed.stderr).toMatch(/^NetworkError: Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Is the local server running\?/);
  }, 60_000);
});
