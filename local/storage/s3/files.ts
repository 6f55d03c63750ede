import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** File-system steps that make a write appear whole or not at all. */

/** A name no other write uses. */
export const uniqueName = (stem: string) => `${stem}.${randomBytes(8).toString('hex')}`;

/** Writes `data` beside nothing that reads it, then renames it over `target`: readers see the old file or the new one. */
export async function writeFileAtomic(target: string, data: string, tempDirectory: string): Promise<void> {
  const temp = path.join(tempDirectory, uniqueName('file'));
  await writeFile(temp, data, { flag: 'wx' });
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Runs `place` (which moves files into `directory`), creating the folder
 * first. s3rver removes a key's folder once its last object is deleted, so
 * a deletion beside this write can remove the folder between the two
 * steps: then the folder is made again and `place` retried.
 */
export async function intoDirectory<T>(directory: string, place: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(directory, { recursive: true });
    try {
      return await place();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
    }
  }
}

export const isErrno = (error: unknown, code: string) => (error as NodeJS.ErrnoException | undefined)?.code === code;

/**
 * One task at a time per name, in arrival order. The embedded S3 is one
 * process, so this orders every write of a key (or an upload) with the
 * reads that must see it whole.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(name, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}
