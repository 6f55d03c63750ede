import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import S3Object from 's3rver/lib/models/object.js';
import type { StoredBody } from 's3rver/lib/stores/filesystem.js';
import { checksumHeader } from './checksums';
import { preconditionFailed, s3Error } from './errors';
import { isErrno, uniqueName } from './files';
import { ObjectStore, storedChecksum, type NewBody } from './object-store';
import { bodyExpectations, receiveBody } from './receive-body';
import { linkSegments } from './segments';

/** The conditions a write carries (If-None-Match / If-Match), checked when the object is put in place. */
export interface WriteConditions {
  ifNoneMatch?: string;
  ifMatch?: string;
}

/**
 * The store, made to write as S3 does:
 * - a PUT's body streams to a temporary file in the bucket folder while it
 *   is hashed; its checksum (x-amz-checksum-*, Content-MD5, a payload
 *   digest in x-amz-content-sha256) is verified before anything is stored;
 * - the object appears only once whole, under its key's lock, once its
 *   conditions hold (see ObjectStore.placeObject). s3rver wrote the object
 *   in place and its metadata after, so a listing could show half an
 *   object and a crash leave one without metadata;
 * - the verified checksum is kept in metadata.json and answered on
 *   HeadObject / GetObject with x-amz-checksum-mode: ENABLED.
 *
 * Multipart uploads live in MultipartStore, which extends this.
 */
export class ChecksumStore extends ObjectStore {
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
    const checksum: Record<string, string> = body.checksum
      ? { [checksumHeader(body.checksum.algorithm)]: body.checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' }
      : {};
    const metadata = { ...storedMetadata(object.metadata), ...checksum };
    await this.commitObject(object.bucket, object.key, { file: temp }, metadata, body.md5.toString('hex'), conditions);
    for (const [name, value] of Object.entries(checksum)) request?.respond(name, value);
    return { size: body.size, md5: body.md5.toString('hex') };
  }

  /** Puts `body` in place as `key` once `conditions` hold; what is left of `body` (all of it on failure) is removed. */
  protected async commitObject(
    bucket: string,
    key: string,
    body: NewBody,
    metadata: Record<string, string>,
    md5: string,
    conditions: WriteConditions,
  ): Promise<void> {
    let placed = false;
    try {
      await this.withKey(bucket, key, conditions, () => this.placeObject(bucket, key, body, metadata, md5, conditions.ifNoneMatch === '*'));
      placed = true;
    } finally {
      // A file stays in the temporary folder when linked to its name.
      if ('file' in body) await rm(body.file, { force: true });
      else if (!placed) await rm(body.segments, { recursive: true, force: true });
    }
  }

  /**
   * Runs `task` under the key's lock once `conditions` hold, checked there:
   * a conditional write that loses never touches the winner's object.
   */
  protected withKey<T>(bucket: string, key: string, conditions: WriteConditions, task: () => Promise<T>): Promise<T> {
    return this.keyLocks.run(this.getResourcePath(bucket, key, 'object'), async () => {
      await this.checkConditions(bucket, key, conditions);
      return task();
    });
  }

  private async checkConditions(bucket: string, key: string, { ifNoneMatch, ifMatch }: WriteConditions): Promise<void> {
    if (ifNoneMatch === '*' && (await this.existsObject(bucket, key))) throw preconditionFailed('If-None-Match');
    if (ifMatch === undefined) return;
    const current = await this.getMetadata(bucket, key).catch((error) => {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    });
    if (!current) throw s3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
    if (ifMatch !== '*' && unquote(ifMatch) !== unquote(current.etag)) throw preconditionFailed('If-Match');
  }

  /**
   * CopyObject, made atomic like a PUT (s3rver copied into the object's
   * name in place). The copy keeps the source's checksum: its bytes are the
   * same, whether or not the request replaces the other metadata. A
   * segmented source is copied as segments, hard-linked, not copied.
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
    const copy = await this.keyLocks.run(source, async (): Promise<{ metadata: Record<string, string>; body: NewBody }> => {
      const { metadata, segments } = await this.readObject(srcBucket, srcKey);
      if (!segments) {
        await copyFile(source, temp);
        return { metadata, body: { file: temp } };
      }
      const directory = await this.segmentsDirectory(destBucket, uniqueName('copy'));
      await linkSegments(segments, directory, destKey);
      return { metadata, body: { segments: directory } };
    });
    const metadata = { ...storedMetadata(replacementMetadata ?? copy.metadata), ...storedChecksum(copy.metadata) };
    await this.commitObject(destBucket, destKey, copy.body, metadata, unquote(copy.metadata.etag), {});
    return this.getMetadata(destBucket, destKey);
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

const unquote = (etag: string) => etag.replace(/"/g, '');
