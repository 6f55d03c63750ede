/**
 * One server per data directory. dynalite holds LevelDB's lock on its
 * folder, so a second server on the same directory could only fail, and
 * would fail part-way, with dynalite's "Database is closed". The running
 * server notes its pid (and, once it listens, its address) in
 * <dataDir>/server.json; a second one reads it, and stops before it touches
 * the data, saying which server holds the directory. A note left by a
 * server that is gone is taken over: its pid no longer runs, or — the pid
 * reused by another process — nothing listens where it said it listens.
 *
 * The note is written whole to a file of its own and then linked (created)
 * or renamed (updated) into place, so a reader never sees it half-written;
 * a note that cannot be read is held if it is fresh (not written by this
 * code, or by a version that wrote in place), stale if it is old.
 */
import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';

export const LOCK_FILE = 'server.json';

/** How long an unreadable note counts as being written by a server starting up. */
const UNREADABLE_GRACE_MS = 10_000;
/** How long a probe of the holder's address waits for a connection. */
const PROBE_TIMEOUT_MS = 2_000;

interface Holder {
  pid: number;
  port?: number;
  host?: string;
}

export class DataDirInUseError extends Error {}

export interface DataDirLock {
  /** Notes the address the server listens on: for the message a second server gives, and to tell a live holder from a reused pid. */
  listening(port: number, host?: string): Promise<void>;
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

/** Whether something accepts connections at the holder's address (an unspecified address is reached on loopback). */
function accepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return new Promise((resolve) => {
    const socket = connect({ port, host: target, timeout: PROBE_TIMEOUT_MS });
    const done = (result: boolean) => (socket.destroy(), resolve(result));
    socket.once('connect', () => done(true));
    // A timeout is not a refusal: a busy server may be slow to accept.
    socket.once('timeout', () => done(true));
    socket.once('error', () => done(false));
  });
}

type Note = Holder | 'gone' | 'unreadable';

async function noteIn(file: string): Promise<Note> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return 'gone';
  }
  try {
    const holder = JSON.parse(text) as Holder;
    return Number.isInteger(holder.pid) ? holder : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Who holds the directory, or undefined when the note is stale (or gone). */
async function liveHolder(file: string): Promise<Holder | 'unreadable' | undefined> {
  const note = await noteIn(file);
  if (note === 'gone') return undefined;
  if (note === 'unreadable') {
    const age = Date.now() - (await stat(file).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
    return age < UNREADABLE_GRACE_MS ? 'unreadable' : undefined;
  }
  if (note.pid === process.pid || !isRunning(note.pid)) return undefined;
  if (note.port !== undefined && !(await accepts(note.port, note.host))) return undefined;
  return note;
}

/** Writes `holder` to a file of its own, then `place`s it: a reader sees the old note or the new one, whole. */
async function writeWhole(file: string, holder: Holder, place: (from: string, to: string) => Promise<void>): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(holder));
  try {
    await place(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

function inUse(dataDir: string, holder: Holder | 'unreadable'): DataDirInUseError {
  const who = holder === 'unreadable' ? 'a server starting up' : `pid ${holder.pid}, ${holder.port === undefined ? 'still starting' : `port ${holder.port}`}`;
  return new DataDirInUseError(
    `the data directory ${dataDir} is in use by another running server (${who}); stop it, or run a second server on another data directory: DATA_DIR=<another folder> npm start`,
  );
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = path.join(dataDir, LOCK_FILE);
  await mkdir(dataDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      // link, unlike rename, fails when the note exists: only one of two servers starting at once creates it.
      await writeWhole(file, { pid: process.pid }, link);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 3) throw error;
    }
    const holder = await liveHolder(file);
    if (holder) throw inUse(dataDir, holder);
    await rm(file, { force: true });
  }
  return {
    listening: (port, host) => writeWhole(file, { pid: process.pid, port, host }, rename),
    async release() {
      const note = await noteIn(file);
      if (typeof note === 'object' && note.pid === process.pid) await rm(file, { force: true });
    },
  };
}
