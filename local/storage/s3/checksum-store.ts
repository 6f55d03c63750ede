import { createReadStream, type ReadStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import S3Object from 's3rver/lib/models/object.js';
import FilesystemStore, { type ListObjectsOptions, type ListObjectsResult, type StoredBody } from 's3rver/lib/stores/filesystem.js';
import { checksumHeader } from './checksums';
import { preconditionFailed, s3Error } from './errors';
import { intoDirectory, isErrno, KeyedLock, uniqueName, writeFileAtomic } from './files';
import { listKeys } from './list-objects';
import { bodyExpectations, receiveBody } from './receive-body';
import type { S3Request } from './request';

/** Where a write keeps its bytes until they are whole: `<bucket>/._S3rver_tmp/`, beside the objects, on their file system. */
const TEMP_FOLDER = 'tmp';
/** s3rver's folder of multipart uploads in progress: `<bucket>/._S3rver_uploads/`. */
export const UPLOADS_FOLDER = 'uploads';

/** The conditions a write carries (If-None-Match / If-Match), checked when the object is put in place. */
export interface WriteConditions {
  ifNoneMatch?: string;
  ifMatch?: string;
}

/** An object's checksum as metadata.json keeps it: the header S3 answers it in, and S3's checksum type. */
export type StoredChecksum = Record<string, string>;

/**
 * s3rver's file-system store, made to write as S3 does:
 * - a PUT's body streams to a temporary file in the bucket folder while it
 *   is hashed; its checksum (x-amz-checksum-*, Content-MD5, a payload
 *   digest in x-amz-content-sha256) is verified before anything is stored;
 * - the object appears only once whole: its metadata is written first,
 *   then the temporary file is renamed (or, for If-None-Match: *, linked)
 *   to the object's name. s3rver wrote the object in place and its
 *   metadata after, so a listing could show half an object and a crash
 *   leave one without metadata;
 * - the verified checksum is kept in metadata.json and answered on
 *   HeadObject / GetObject with x-amz-checksum-mode: ENABLED.
 *
 * Each request's controller calls a view of the store made for that
 * request (`forRequest`), through which the store reads the headers the
 * client sent and answers headers of its own. Multipart uploads live in
 * MultipartStore, which extends this.
 */
export class ChecksumStore extends FilesystemStore {
  protected readonly keyLocks = new KeyedLock();
  protected request: S3Request | undefined;

  /** This store, serving `request`: the store s3rver's controllers get as ctx.store. */
  forRequest(request: S3Request): this {
    return Object.create(this, { request: { value: request } }) as this;
  }

  /** Removes what writes cut short by a crash left in the buckets' temporary folders (nothing reads them). Call before serving. */
  async discardTemporaryFiles(): Promise<void> {
    const buckets = await readdir(this.rootDirectory, { withFileTypes: true }).catch((error) => {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    });
    await Promise.all(
      buckets.filter((entry) => entry.isDirectory()).map((entry) => rm(this.getResourcePath(entry.name, undefined, TEMP_FOLDER), { recursive: true, force: true })),
    );
  }

  protected async tempDirectory(bucket: string): Promise<string> {
    const directory = this.getResourcePath(bucket, undefined, TEMP_FOLDER);
    await mkdir(directory, { recursive: true });
    return directory;
  }

  /** The conditions of the request, refused up front when S3 would not take them. */
  protected writeConditions(): WriteConditions {
    const ifNoneMatch = this.request?.header('if-none-match');
    if (ifNoneMatch !== undefined && ifNoneMatch !== '*') {
      // S3 takes only `*` on a write: "the object must not exist".
      throw s3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: 'If-None-Match' });
    }
    return { ifNoneMatch, ifMatch: this.request?.header('if-match') };
  }

  override async putObject(object: S3Object): Promise<StoredBody> {
    const { request } = this;
    // A PUT streams the request itself; a POST (browser form) hands over one field of it.
    const isPut = request !== undefined && object.content === request.body;
    const expectations = isPut ? bodyExpectations(request.headers) : {};
    const conditions = isPut ? this.writeConditions() : {};
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    if (!content) throw new TypeError('putObject needs content');

    const temp = path.join(await this.tempDirectory(object.bucket), uniqueName('object'));
    const body = await receiveBody(content, temp, expectations);
    const checksum: StoredChecksum = body.checksum
      ? { [checksumHeader(body.checksum.algorithm)]: body.checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' }
      : {};
    await this.commitObject(object.bucket, object.key, temp, { ...storedMetadata(object.metadata), ...checksum }, body.md5.toString('hex'), conditions);
    for (const [name, value] of Object.entries(checksum)) request?.respond(name, value);
    return { size: body.size, md5: body.md5.toString('hex') };
  }

  /**
   * Puts the whole file `temp` in place as `key`, with its metadata and
   * MD5 (the ETag), once `conditions` hold; removes `temp` in any case.
   *
   * All under the key's lock, which every write and read of the key in
   * this process takes: the conditions are checked, the metadata written,
   * then the object put in place. So no object is ever without its
   * metadata (not even after a crash), a reader never sees one without the
   * other, and a conditional write that loses never touches the winner's
   * metadata. With If-None-Match: * the object is linked, not renamed, to
   * its name: link fails with EEXIST when the name exists, so not even a
   * writer outside this process (a second server on the folder) is
   * overwritten. What remains: a crash between the two steps of replacing
   * an existing object leaves the new metadata on the old bytes.
   */
  protected async commitObject(
    bucket: string,
    key: string,
    temp: string,
    metadata: Record<string, string>,
    md5: string,
    conditions: WriteConditions,
  ): Promise<void> {
    const objectPath = this.getResourcePath(bucket, key, 'object');
    const tempDirectory = path.dirname(temp);
    try {
      await this.keyLocks.run(objectPath, async () => {
        await this.checkConditions(bucket, key, conditions);
        await intoDirectory(path.dirname(objectPath), async () => {
          await writeFileAtomic(this.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(metadata, null, 2), tempDirectory);
          await writeFileAtomic(`${objectPath}.md5`, md5, tempDirectory);
          if (conditions.ifNoneMatch !== '*') return rename(temp, objectPath);
          try {
            await link(temp, objectPath);
          } catch (error) {
            if (isErrno(error, 'EEXIST')) throw preconditionFailed('If-None-Match');
            throw error;
          }
        });
      });
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** Refuses a write whose conditions do not hold now (commitObject checks them again, under the key's lock). */
  protected async checkConditions(bucket: string, key: string, { ifNoneMatch, ifMatch }: WriteConditions): Promise<void> {
    if (ifNoneMatch === '*' && (await this.existsObject(bucket, key))) throw preconditionFailed('If-None-Match');
    if (ifMatch === undefined) return;
    const current = await this.getMetadata(bucket, key).catch((error) => {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    });
    if (!current) throw s3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
    if (ifMatch !== '*' && unquote(ifMatch) !== unquote(current.etag)) throw preconditionFailed('If-Match');
  }

  /** s3rver's getObject, reading metadata and opening the file under the key's lock, and adding the checksum when asked for. */
  override async getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<S3Object | null> {
    const objectPath = this.getResourcePath(bucket, key, 'object');
    const ranged = options !== undefined && (options.start !== undefined || Boolean(options.end));
    const found = await this.keyLocks.run(objectPath, async () => {
      const metadata = await this.getMetadata(bucket, key);
      const lastByte = Math.max(0, Number(metadata['content-length']) - 1);
      const range = { start: options?.start || 0, end: Math.min(options?.end || Infinity, lastByte) };
      // An unsatisfiable range: no content (s3rver's controller answers InvalidRange).
      const satisfiable = range.start >= 0 && Math.min(range.end, lastByte) >= range.start;
      const content = satisfiable ? await openForReading(objectPath, range) : null;
      return { metadata, range, content };
    }).catch((error) => {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    });
    if (!found) return null;

    const object = new S3Object(bucket, key, found.content, found.metadata);
    if (ranged) object.range = found.range;
    // S3 answers the checksum of the whole object only, and only when asked.
    if (!ranged && this.request?.header('x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
      Object.assign(object.metadata, storedChecksum(found.metadata));
    }
    return object;
  }

  /**
   * CopyObject, made atomic like a PUT (s3rver copied into the object's
   * name in place). The copy keeps the source's checksum: its bytes are the
   * same, whether or not the request replaces the other metadata.
   */
  override async copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata: Record<string, unknown> | null,
  ): Promise<Record<string, string>> {
    const source = this.getResourcePath(srcBucket, srcKey, 'object');
    const temp = path.join(await this.tempDirectory(destBucket), uniqueName('object'));
    const sourceMetadata = await this.keyLocks.run(source, async () => {
      const metadata = await this.getMetadata(srcBucket, srcKey);
      await copyFile(source, temp);
      return metadata;
    });
    const metadata = { ...storedMetadata(replacementMetadata ?? sourceMetadata), ...storedChecksum(sourceMetadata) };
    await this.commitObject(destBucket, destKey, temp, metadata, unquote(sourceMetadata.etag), {});
    return this.getMetadata(destBucket, destKey);
  }

  override async deleteObject(bucket: string, key: string): Promise<void> {
    await this.keyLocks.run(this.getResourcePath(bucket, key, 'object'), () => super.deleteObject(bucket, key));
  }

  override async listObjects(bucket: string, options: ListObjectsOptions): Promise<ListObjectsResult> {
    const internal = [TEMP_FOLDER, UPLOADS_FOLDER].map((folder) => path.basename(this.getResourcePath(bucket, undefined, folder)));
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

/** What s3rver's putMetadata keeps of a request's headers; an aws-chunked body's encoding is S3's transfer detail, not the object's. */
export function storedMetadata(metadata: Record<string, unknown>): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) {
    if (value === undefined || !(S3Object.ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-'))) continue;
    stored[name] = String(value);
  }
  if (stored['content-encoding'] !== undefined) {
    const encodings = stored['content-encoding'].split(',').map((encoding) => encoding.trim());
    const kept = encodings.filter((encoding) => encoding && encoding !== 'aws-chunked');
    if (kept.length) stored['content-encoding'] = kept.join(',');
    else delete stored['content-encoding'];
  }
  return stored;
}

/** The checksum headers an object's metadata keeps. */
function storedChecksum(metadata: Record<string, string>): StoredChecksum {
  return Object.fromEntries(Object.entries(metadata).filter(([name]) => /^x-amz-checksum-(crc32|crc32c|sha1|sha256|type)$/.test(name)));
}

const unquote = (etag: string) => etag.replace(/"/g, '');

/** Opens the file before answering: once open, a rename over it does not change what is read. */
function openForReading(file: string, range: { start: number; end: number }): Promise<ReadStream> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(file, range)
      .on('error', reject)
      .on('open', () => resolve(stream));
  });
}
