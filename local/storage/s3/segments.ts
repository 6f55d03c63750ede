import { createReadStream } from 'node:fs';
import { link, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isErrno } from './files';

/**
 * An object kept as the files of its parts, as CompleteMultipartUpload
 * leaves it: S3 completes an upload without copying it, and so does this
 * store. The parts' files stay where they are and their folder is renamed
 * to `<bucket>/._S3rver_segments/<name>/`, beside `segments.json`: the
 * key and the segments in order, with their sizes. The object's file
 * `<key>._S3rver_object` is then a symbolic link to that record.
 *
 * A link, because whether an object is bytes or segments must be told by
 * the object's file alone and change with it atomically: a rename puts a
 * link over a file or a file over a link in one step, and no stored bytes
 * can pass for a link. (metadata.json is written apart and can be one
 * write behind after a crash; it carries nothing of this.)
 *
 * Segment files are never written again once in such a folder, so a copy
 * of the object can hard-link them into a folder of its own.
 */

export const SEGMENTS_RECORD = 'segments.json';

export interface Segment {
  /** The file in the segments folder. */
  file: string;
  size: number;
}

export interface SegmentsRecord {
  /** The object's key: whether the folder is still the object's is read at start-up from there. */
  key: string;
  segments: Segment[];
}

export interface Segments {
  directory: string;
  segments: Segment[];
  size: number;
}

/** The segments folder `objectPath` links to; undefined for an object of plain bytes, or none. */
export async function segmentsDirectoryOf(objectPath: string): Promise<string | undefined> {
  try {
    return path.resolve(path.dirname(objectPath), path.dirname(await readlink(objectPath)));
  } catch (error) {
    // EINVAL: not a link.
    if (isErrno(error, 'EINVAL') || isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

export async function readSegmentsRecord(directory: string): Promise<SegmentsRecord> {
  return JSON.parse(await readFile(path.join(directory, SEGMENTS_RECORD), 'utf8')) as SegmentsRecord;
}

/** The segments of the object at `objectPath`; undefined for an object of plain bytes. Throws ENOENT when there is no object. */
export async function segmentsOf(objectPath: string): Promise<Segments | undefined> {
  const directory = await segmentsDirectoryOf(objectPath);
  if (directory === undefined) return undefined;
  const { segments } = await readSegmentsRecord(directory);
  return { directory, segments, size: segments.reduce((total, segment) => total + segment.size, 0) };
}

export function writeSegmentsRecord(directory: string, record: SegmentsRecord): Promise<void> {
  return writeFile(path.join(directory, SEGMENTS_RECORD), JSON.stringify(record));
}

/** A folder of its own for a copy of the object, keyed `key`: its segments hard-linked (they are never written again), not copied. */
export async function linkSegments({ directory, segments }: Segments, copy: string, key: string): Promise<void> {
  await mkdir(copy);
  try {
    await Promise.all(segments.map(({ file }) => link(path.join(directory, file), path.join(copy, file))));
    await writeSegmentsRecord(copy, { key, segments });
  } catch (error) {
    await rm(copy, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Makes `linkPath` (the object's file, or a temporary one renamed to it) a
 * link to the record in `directory`, relative to the object's folder: it
 * holds wherever the data folder moves. Fails with EEXIST when the name is taken.
 */
export function linkToSegments(linkPath: string, directory: string, objectPath: string): Promise<void> {
  return symlink(path.relative(path.dirname(objectPath), path.join(directory, SEGMENTS_RECORD)), linkPath);
}

/** Removes what the record does not name: the files of the upload the folder was, and parts the completion left out. */
export async function tidySegments(directory: string, record: SegmentsRecord): Promise<void> {
  const kept = new Set([SEGMENTS_RECORD, ...record.segments.map((segment) => segment.file)]);
  const names = await readdir(directory);
  await Promise.all(names.filter((name) => !kept.has(name)).map((name) => rm(path.join(directory, name), { recursive: true, force: true })));
}

const CHUNK = 1024 * 1024;

/** The bytes `start`…`end` (inclusive) of the segments, read one segment after another as the stream is consumed. */
function readRange({ directory, segments }: Segments, { start, end }: { start: number; end: number }): Readable {
  async function* bytes() {
    let offset = 0;
    for (const { file, size } of segments) {
      const first = Math.max(start, offset);
      const last = Math.min(end, offset + size - 1);
      if (first <= last) yield* createReadStream(path.join(directory, file), { start: first - offset, end: last - offset, highWaterMark: CHUNK });
      offset += size;
    }
  }
  return Readable.from(bytes(), { objectMode: false, highWaterMark: CHUNK });
}

/**
 * The segments folders being read. A plain object's reader keeps its open
 * file when the object is replaced or deleted; a segmented object's reader
 * opens its segments one by one, so the folder of a replaced or deleted
 * object is removed only once its last reader is done. In this process
 * only: the embedded S3 is one process.
 */
export class SegmentReaders {
  private readonly readers = new Map<string, number>();
  private readonly retired = new Set<string>();

  /** Streams the range of `segments`; call under the key's lock, so that the folder is still the object's. */
  read(segments: Segments, range: { start: number; end: number }): Readable {
    const { directory } = segments;
    this.readers.set(directory, (this.readers.get(directory) ?? 0) + 1);
    const stream = readRange(segments, range);
    stream.once('close', () => {
      const left = this.readers.get(directory)! - 1;
      if (left > 0) return this.readers.set(directory, left);
      this.readers.delete(directory);
      if (this.retired.delete(directory)) void removeFolder(directory);
    });
    return stream;
  }

  /** Removes the folder of an object just replaced or deleted, now or after its last reader. */
  async retire(directory: string): Promise<void> {
    if (this.readers.has(directory)) this.retired.add(directory);
    else await removeFolder(directory);
  }
}

/** Never fails: the object is already gone, and a folder left behind is removed at the next start (see ObjectStore.recover). */
const removeFolder = (directory: string) => rm(directory, { recursive: true, force: true }).catch(() => undefined);
