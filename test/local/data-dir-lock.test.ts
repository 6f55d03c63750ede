/**
 * The data-directory note (local/data-dir-lock.ts) as a second server meets
 * it: a live holder stops it; a note whose pid now belongs to another
 * process (nothing listens where the holder said), or an old unreadable
 * note, is taken over; a fresh unreadable one is being written, and held.
 * The other process is this test's parent (a pid that runs and is not ours).
 */
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from '../../local/data-dir-lock';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
const otherPid = process.ppid;

let listener: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve())).then(() => (listener = undefined)));

async function freePort(keepListening: boolean): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  if (keepListening) listener = server;
  else await new Promise((resolve) => server.close(resolve));
  return port;
}

async function dirWithNote(note: string, ageSeconds = 0): Promise<string> {
  const dataDir = await tempDir('lock');
  const file = path.join(dataDir, LOCK_FILE);
  await writeFile(file, note);
  const then = new Date(Date.now() - ageSeconds * 1000);
  await utimes(file, then, then);
  return dataDir;
}

async function takesOver(dataDir: string) {
  const lock = await lockDataDir(dataDir);
  await lock.listening(41_999, '127.0.0.1');
  expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8'))).toEqual({ pid: process.pid, port: 41_999, host: '127.0.0.1' });
  await lock.release();
}

describe('the data-directory note', () => {
  it('stops a second server while the holder runs and listens where it said, naming its pid and port', async () => {
    const port = await freePort(true);
    const dataDir = await dirWithNote(JSON.stringify({ pid: otherPid, port, host: '127.0.0.1' }));

    const refusal = lockDataDir(dataDir);
    await expect(refusal).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(refusal).rejects.toThrow(`in use by another running server (pid ${otherPid}, port ${port})`);
  });

  it('is taken over when its pid runs but nothing listens on its port: the pid was reused after the holder died', async () => {
    await takesOver(await dirWithNote(JSON.stringify({ pid: otherPid, port: await freePort(false), host: '127.0.0.1' })));
  });

  it('holds while it cannot be read and is fresh: a server is writing it', async () => {
    await expect(lockDataDir(await dirWithNote(''))).rejects.toThrow('in use by another running server (a server starting up)');
  });

  it('is taken over when it cannot be read and is old: a crash cut it short', async () => {
    await takesOver(await dirWithNote('{"pid": 12', 60));
  });
});
