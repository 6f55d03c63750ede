/**
 * One server per data directory. dynalite holds LevelDB's lock on its
 * folder, so a second server on the same directory could only fail, and
 * would fail part-way, with dynalite's "Database is closed". The running
 * server notes its pid and port in <dataDir>/server.json; a second one
 * reads it, and stops before it touches the data, saying which server holds
 * the directory. A note left by a server that was killed names a pid no
 * longer running, and is taken over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const LOCK_FILE = 'server.json';

interface Holder {
  pid: number;
  port?: number;
}

export class DataDirInUseError extends Error {}

export interface DataDirLock {
  /** Notes the port the server listens on, for the message a second server gives. */
  listening(port: number): Promise<void>;
  release(): Promise<void>;
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function holderOf(file: string): Promise<Holder | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Holder;
  } catch {
    // Gone since, or cut short by a crash while written: nobody holds it.
    return undefined;
  }
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = path.join(dataDir, LOCK_FILE);
  await mkdir(dataDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      await writeFile(file, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 3) throw error;
    }
    const holder = await holderOf(file);
    if (holder && holder.pid !== process.pid && isRunning(holder.pid)) {
      const where = holder.port === undefined ? 'still starting' : `port ${holder.port}`;
      throw new DataDirInUseError(
        `the data directory ${dataDir} is in use by another running server (pid ${holder.pid}, ${where}); stop it, or run a second server on another data directory: DATA_DIR=<another folder> npm start`,
      );
    }
    await rm(file, { force: true });
  }
  return {
    listening: (port) => writeFile(file, JSON.stringify({ pid: process.pid, port })),
    async release() {
      if ((await holderOf(file))?.pid === process.pid) await rm(file, { force: true });
    },
  };
}
