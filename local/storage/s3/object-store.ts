// Over 250 lines on purpose: one class, s3rver's store with every read and write of an object under the
// key's lock; split, the one lock discipline would be spread over several files.
import { createReadStream, type ReadStream } from 'node:fs';
import { link, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import S3Object from 's3rver/lib/models/object.js';
import FilesystemStore, { type ListObjectsOptions, type ListObjectsResult } from 's3rver/lib/stores/filesystem.js';
import { byteRange, rangeHeaderOf, type ByteRange } from './byte-range';
import { preconditionFailed, s3Error } from './errors';
import { intoDirectory, isErrno, KeyedLock, uniqueName, writeFileAtomic } from './files';
import { listKeys } from './list-objects';
import { strayObjectFiles, type RecoveryReport } from './stray-files';
import type { S3Request } from './request';
import { linkToSegments, readSegmentsRecord, SegmentReaders, segmentsDirectoryOf, segmentsOf, tidySegments, SEGMENTS_RECORD, type Segments } from './segments';
import { UploadFolder } from './upload-folder';

/** Where a write keeps its bytes until they are whole: `<bucket>/._S3rver_tmp/`, beside the objects, on their file system. */
const TEMP_FOLDER = 'tmp';
/** s3rver's folder of multipart uploads in progress: `<bucket>/._S3rver_uploads/`. */
export const UPLOADS_FOLDER = 'uploads';
/** The folders of segmented objects (see segments.ts): `<bucket>/._S3rver_segments/`. */
const SEGMENTS_FOLDER = 'segments';

/** What becomes an object's bytes: a whole file (in the bucket's temporary folder), or a segments folder. */
export type NewBody = { file: string } | { segments: string };

/**
 * s3rver's file-system store, reading and placing objects as S3 serves
 * them. An object's file is its bytes, or a link to its segments (see
 * segments.ts); every read and write of a key in this process runs under
 * the key's lock, so a reader never sees one object's metadata with
 * another's bytes. Each request's controller calls a view of the store made
 * for that request (`forRequest`), through which the store reads the
 * headers the client sent and answers headers of its own.
 */
export class ObjectStore extends FilesystemStore {
  protected readonly keyLocks = new KeyedLock();
  protected readonly segmentReaders = new SegmentReaders();
  protected request: S3Request | undefined;

  /**
   * The file of `resource` of `key`. S3 takes any key; a file system does
   * not: a `.` or `..` segment would reach outside the bucket's folder
   * (s3rver joins keys into paths as they come, after URL decoding), and
   * `._S3rver_` names this store's own files. Such keys are refused.
   */
  override getResourcePath(bucket: string, key: string | undefined, resource: string): string {
    if (key !== undefined && (key.split('/').some((segment) => segment === '.' || segment === '..') || key.includes('._S3rver_'))) {
      throw s3Error('InvalidArgument', 'The local S3 takes no key with a "." or ".." segment, nor one containing "._S3rver_": it stores keys as file paths.');
    }
    const file = super.getResourcePath(bucket, key, resource);
    if (!path.resolve(file).startsWith(path.resolve(this.getBucketPath(bucket)) + path.sep)) throw s3Error('InvalidArgument', 'The key leaves the bucket.');
    return file;
  }

  /** This store, serving `request`: the store s3rver's controllers get as ctx.store. */
  forRequest(request: S3Request): this {
    return Object.create(this, { request: { value: request } }) as this;
  }

  /**
   * Puts right what a crash left, before serving: writes cut short in the
   * temporary folders are dropped, segments folders settled, and the
   * metadata and MD5 files of objects that never appeared (a write cut
   * short after its metadata) or are gone (a delete cut short) removed.
   * Says what it found: objects without metadata (written by plain s3rver)
   * are counted, not touched: they list and read, with S3's default type.
   */
  async recover(): Promise<RecoveryReport> {
    const report: RecoveryReport = { leftoverFiles: 0, objectsWithoutMetadata: 0 };
    const buckets = (await entriesOf(this.rootDirectory)).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    for (const bucket of buckets) {
      await rm(this.getResourcePath(bucket, undefined, TEMP_FOLDER), { recursive: true, force: true });
      const folder = this.getResourcePath(bucket, undefined, SEGMENTS_FOLDER);
      for (const { name } of await entriesOf(folder)) await this.settleSegments(bucket, folder, name);
      const internal = [TEMP_FOLDER, UPLOADS_FOLDER, SEGMENTS_FOLDER].map((name) => this.getResourcePath(bucket, undefined, name));
      const found = await strayObjectFiles(this.getBucketPath(bucket), internal);
      await Promise.all(found.leftovers.map((file) => rm(file, { force: true })));
      report.leftoverFiles += found.leftovers.length;
      report.objectsWithoutMetadata += found.objectsWithoutMetadata;
    }
    return report;
  }

  /**
   * A segments folder its object links to is tidied (its completion was cut
   * short after the object appeared); one that still holds its upload's
   * key is put back as that upload (cut short before: no object links to
   * it yet); any other is removed (its object replaced or deleted, the
   * removal cut short).
   */
  private async settleSegments(bucket: string, folder: string, name: string): Promise<void> {
    const directory = path.join(folder, name);
    const record = await readSegmentsRecord(directory).catch(() => undefined);
    const linked = record && (await segmentsDirectoryOf(this.getResourcePath(bucket, record.key, 'object'))) === path.resolve(directory);
    if (record && linked) return tidySegments(directory, record);
    const upload = UploadFolder.of(folder, name);
    if (upload && (await upload.key()) !== undefined) {
      const uploads = this.getResourcePath(bucket, undefined, UPLOADS_FOLDER);
      await mkdir(uploads, { recursive: true });
      await rm(path.join(directory, SEGMENTS_RECORD), { force: true });
      await upload.moveTo(path.join(uploads, name));
    } else {
      await rm(directory, { recursive: true, force: true });
    }
  }

  protected async tempDirectory(bucket: string): Promise<string> {
    const directory = this.getResourcePath(bucket, undefined, TEMP_FOLDER);
    await mkdir(directory, { recursive: true });
    return directory;
  }

  /** A new segments folder's path (not made): `name` must be unique, an upload's id or a uniqueName. */
  protected async segmentsDirectory(bucket: string, name: string): Promise<string> {
    const folder = this.getResourcePath(bucket, undefined, SEGMENTS_FOLDER);
    await mkdir(folder, { recursive: true });
    return path.join(folder, name);
  }

  /** The object's metadata, its content-length the segments' total for a segmented one; throws ENOENT when there is none. */
  protected async readObject(bucket: string, key: string): Promise<{ metadata: Record<string, string>; segments?: Segments }> {
    const [metadata, segments] = await Promise.all([super.getMetadata(bucket, key), segmentsOf(this.getResourcePath(bucket, key, 'object'))]);
    if (segments) metadata['content-length'] = String(segments.size);
    return { metadata, segments };
  }

  override async getMetadata(bucket: string, key: string): Promise<Record<string, string>> {
    return (await this.readObject(bucket, key)).metadata;
  }

  /**
   * s3rver's getObject, reading the metadata and opening the bytes under
   * the key's lock, taking the Range header as S3 does (see byteRange),
   * and adding the checksum when asked for. s3rver's controller answers
   * 206 with Content-Range for `object.range`, InvalidRange when it comes
   * without content.
   */
  override async getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<S3Object | null> {
    const objectPath = this.getResourcePath(bucket, key, 'object');
    // Without options, s3rver wants a whole object (a website's error document), whatever the request's range.
    const rangeHeader = options && (this.request?.header('range') ?? rangeHeaderOf(options));
    const found = await this.keyLocks
      .run(objectPath, async () => {
        const { metadata, segments } = await this.readObject(bucket, key);
        const size = Number(metadata['content-length']);
        const range = byteRange(rangeHeader, size);
        if (range === 'unsatisfiable') return { metadata, range: { start: 0, end: size - 1 }, content: null };
        const content = segments ? this.segmentReaders.read(segments, range ?? { start: 0, end: size - 1 }) : await openForReading(objectPath, range);
        if (this.request) this.request.content = content;
        return { metadata, range, content };
      })
      .catch((error) => {
        if (isErrno(error, 'ENOENT')) return null;
        throw error;
      });
    if (!found) return null;

    const object = new S3Object(bucket, key, found.content, found.metadata);
    if (found.range) object.range = found.range;
    // S3 answers the checksum of the whole object only, and only when asked.
    if (!found.range && this.request?.header('x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
      Object.assign(object.metadata, storedChecksum(found.metadata));
    }
    return object;
  }

  /**
   * Puts `body` in place as the object `key` with its metadata and MD5
   * (the ETag); call under the key's lock. The metadata is written first,
   * then the object appears in one step: its file renamed to its name, or
   * a link to its segments. So no object is ever without its metadata (not
   * even after a crash). With `exclusive` (If-None-Match: *) that step
   * fails with EEXIST when the name exists (link and symlink do not
   * overwrite), so not even a writer outside this process is overwritten.
   * The segments of the object replaced, if any, are removed after. What
   * remains: a crash between the two steps of replacing an object leaves
   * the new metadata on the old bytes.
   */
  protected async placeObject(bucket: string, key: string, body: NewBody, metadata: Record<string, string>, md5: string, exclusive: boolean): Promise<void> {
    const objectPath = this.getResourcePath(bucket, key, 'object');
    const tempDirectory = await this.tempDirectory(bucket);
    const replaced = await segmentsDirectoryOf(objectPath);
    await intoDirectory(path.dirname(objectPath), async () => {
      await writeFileAtomic(this.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(metadata, null, 2), tempDirectory);
      await writeFileAtomic(`${objectPath}.md5`, md5, tempDirectory);
      try {
        if ('file' in body) return await (exclusive ? link(body.file, objectPath) : rename(body.file, objectPath));
        if (exclusive) return await linkToSegments(objectPath, body.segments, objectPath);
        const temp = path.join(tempDirectory, uniqueName('link'));
        await linkToSegments(temp, body.segments, objectPath);
        await rename(temp, objectPath).catch(async (error) => {
          await rm(temp, { force: true });
          throw error;
        });
      } catch (error) {
        if (exclusive && isErrno(error, 'EEXIST')) throw preconditionFailed('If-None-Match');
        throw error;
      }
    });
    if (replaced) await this.segmentReaders.retire(replaced);
  }

  /**
   * s3rver's deleteObject (the object's file, MD5 and metadata), under the
   * key's lock, and the object's segments. The object's file goes first:
   * s3rver removed the three at once, so a crash could leave the object
   * without its metadata, back from the dead; now it leaves metadata
   * without an object, which nothing shows and recover() removes.
   */
  override async deleteObject(bucket: string, key: string): Promise<void> {
    const objectPath = this.getResourcePath(bucket, key, 'object');
    await this.keyLocks.run(objectPath, async () => {
      const segments = await segmentsDirectoryOf(objectPath);
      await rm(objectPath, { force: true });
      await super.deleteObject(bucket, key);
      if (segments) await this.segmentReaders.retire(segments);
    });
  }

  override async listObjects(bucket: string, options: ListObjectsOptions): Promise<ListObjectsResult> {
    const internal = [TEMP_FOLDER, UPLOADS_FOLDER, SEGMENTS_FOLDER].map((folder) => path.basename(this.getResourcePath(bucket, undefined, folder)));
    const { keys, commonPrefixes, isTruncated } = await listKeys(this.getBucketPath(bucket), internal, options);
    const objects = await Promise.all(
      keys.map((key) =>
        this.keyLocks
          .run(this.getResourcePath(bucket, key, 'object'), () => this.getMetadata(bucket, key))
          .then((metadata) => new S3Object(bucket, key, null, metadata))
          // Deleted since the walk found it.
          .catch((error) => {
            if (isErrno(error, 'ENOENT')) return undefined;
            throw error;
          }),
      ),
    );
    return { objects: objects.filter((object): object is S3Object => object !== undefined), commonPrefixes, isTruncated };
  }
}

/** The checksum headers an object's metadata keeps. */
export function storedChecksum(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).filter(([name]) => /^x-amz-checksum-(crc32|crc32c|sha1|sha256|type)$/.test(name)));
}

async function entriesOf(directory: string) {
  return readdir(directory, { withFileTypes: true }).catch((error) => {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  });
}

/** Opens the file before answering: once open, a rename over it does not change what is read. */
function openForReading(file: string, range: ByteRange | undefined): Promise<ReadStream> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(file, range)
      .on('error', reject)
      .on('open', () => resolve(stream));
  });
}
