import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import S3Object from 's3rver/lib/models/object.js';
import type { StoredBody } from 's3rver/lib/stores/filesystem.js';
import { ChecksumStore, storedMetadata } from './checksum-store';
import { checksumHeader, compositeChecksum, parseChecksumAlgorithm, type ChecksumAlgorithm } from './checksums';
import { badDigest, invalidRequest, noSuchUpload, s3Error } from './errors';
import { isErrno, KeyedLock } from './files';
import { UPLOADS_FOLDER } from './object-store';
import { choosePartsToComplete, withChecksums } from './part-list';
import { bodyExpectations, receiveBody } from './receive-body';
import { SEGMENTS_RECORD, tidySegments, writeSegmentsRecord } from './segments';
import { UploadFolder, type PartRecord, type UploadSettings } from './upload-folder';

const MAX_PART_NUMBER = 10_000;

export interface PartListing {
  settings: UploadSettings;
  parts: PartRecord[];
  isTruncated: boolean;
}

/**
 * Multipart uploads as S3 runs them, on s3rver's upload folders:
 * CreateMultipartUpload remembers a checksum algorithm; UploadPart
 * verifies each part like a PUT and requires the upload's algorithm;
 * ListParts and AbortMultipartUpload exist; CompleteMultipartUpload checks
 * the part list as S3 does, answers S3's ETag and composite checksum, and
 * makes the object appear whole, of its parts' files, none copied.
 *
 * Every step of one upload runs under the upload's lock, so a part being
 * replaced, listed and assembled never interleave; completion then takes
 * the key's lock to put the object in place (always in that order).
 */
export class MultipartStore extends ChecksumStore {
  private readonly uploadLocks = new KeyedLock();

  private uploadFolder(bucket: string, uploadId: string | undefined): UploadFolder {
    const folder = UploadFolder.of(this.getResourcePath(bucket, undefined, UPLOADS_FOLDER), uploadId);
    if (!folder) throw noSuchUpload(uploadId);
    return folder;
  }

  /** Runs `task` on the upload under its lock, once it is known to exist for `key` (when given). */
  private withUpload<T>(
    bucket: string,
    uploadId: string | undefined,
    key: string | undefined,
    task: (folder: UploadFolder, key: string) => Promise<T>,
  ): Promise<T> {
    const folder = this.uploadFolder(bucket, uploadId);
    return this.uploadLocks.run(folder.directory, async () => {
      const uploadKey = await folder.key();
      if (uploadKey === undefined || (key !== undefined && key !== uploadKey)) throw noSuchUpload(uploadId);
      return task(folder, uploadKey);
    });
  }

  override async initiateUpload(bucket: string, key: string, uploadId: string, headers: Record<string, unknown>): Promise<void> {
    const settings = this.uploadSettings();
    await this.uploadFolder(bucket, uploadId).create(key, headers, settings);
    if (settings.algorithm) {
      this.request?.respond('x-amz-checksum-algorithm', settings.algorithm);
      this.request?.respond('x-amz-checksum-type', 'COMPOSITE');
    }
  }

  /** CreateMultipartUpload's x-amz-checksum-algorithm and x-amz-checksum-type. */
  private uploadSettings(): UploadSettings {
    const algorithmHeader = this.request?.header('x-amz-checksum-algorithm');
    const type = this.request?.header('x-amz-checksum-type')?.toUpperCase();
    if (!algorithmHeader) {
      if (type) throw invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
      return {};
    }
    const algorithm = parseChecksumAlgorithm(algorithmHeader);
    if (type === 'FULL_OBJECT') {
      if (algorithm === 'SHA1' || algorithm === 'SHA256') {
        throw invalidRequest(`The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
      }
      throw s3Error('NotImplemented', 'The embedded S3 does not implement FULL_OBJECT multipart checksums; use COMPOSITE.');
    }
    if (type !== undefined && type !== 'COMPOSITE') throw invalidRequest('Value for x-amz-checksum-type header is invalid.');
    return { algorithm, type: 'COMPOSITE' };
  }

  override async putPart(bucket: string, uploadId: string, partNumber: string | number, content: Readable): Promise<StoredBody> {
    const { request } = this;
    const number = parsePartNumber(partNumber);
    const expectations = request && content === request.body ? bodyExpectations(request.headers) : {};
    const { folder, settings } = await this.withUpload(bucket, uploadId, request?.key, async (folder) => ({ folder, settings: await folder.settings() }));
    if (settings.algorithm && expectations.checksum?.algorithm !== settings.algorithm) {
      throw invalidRequest(
        `Checksum Type mismatch occurred, expected checksum Type: ${settings.algorithm.toLowerCase()}, actual checksum Type: ${expectations.checksum?.algorithm.toLowerCase() ?? 'null'}`,
      );
    }

    const file = folder.newPartFile(number);
    const body = await receiveBody(content, file, expectations).catch(async (error) => {
      // The folder went away while the part streamed in: aborted or completed.
      if (isErrno(error, 'ENOENT') && (await folder.key()) === undefined) throw noSuchUpload(uploadId);
      throw error;
    });
    const part: PartRecord = {
      partNumber: number,
      file: path.basename(file),
      md5: body.md5.toString('hex'),
      size: body.size,
      lastModified: new Date().toISOString(),
      ...(body.checksum && { checksum: { algorithm: body.checksum.algorithm, value: body.checksum.value } }),
    };
    try {
      await this.withUpload(bucket, uploadId, undefined, () => folder.savePart(part));
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    if (body.checksum) request?.respond(checksumHeader(body.checksum.algorithm), body.checksum.value);
    return { size: body.size, md5: part.md5 };
  }

  /** ListParts: the parts after `partNumberMarker`, at most `maxParts` of them. */
  listParts(
    bucket: string,
    key: string,
    uploadId: string | undefined,
    { maxParts, partNumberMarker }: { maxParts: number; partNumberMarker: number },
  ): Promise<PartListing> {
    return this.withUpload(bucket, uploadId, key, async (folder) => {
      const after = (await folder.parts()).filter((part) => part.partNumber > partNumberMarker);
      return { settings: await folder.settings(), parts: after.slice(0, maxParts), isTruncated: after.length > maxParts };
    });
  }

  /** AbortMultipartUpload: the upload and its parts are gone. */
  abortUpload(bucket: string, key: string, uploadId: string | undefined): Promise<void> {
    return this.withUpload(bucket, uploadId, key, (folder) => folder.remove());
  }

  /**
   * CompleteMultipartUpload, in O(1) of the object's size: the upload's
   * folder becomes the object's segments folder (one rename) and the
   * object a link to it (see segments.ts); no byte is copied. Under the
   * key's lock, until the object is in place the move is undone on
   * failure, and at start-up after a crash (ObjectStore.recover): the
   * upload is then as it was.
   */
  override putObjectMultipart(bucket: string, uploadId: string, requested: { number: number; etag: string }[]): Promise<StoredBody> {
    const { request } = this;
    const conditions = this.writeConditions();
    const listed = withChecksums(requested, request?.parsedBody);
    return this.withUpload(bucket, uploadId, request?.key, async (folder, key) => {
      const settings = await folder.settings();
      const parts = choosePartsToComplete(listed, await folder.parts(), settings);
      const etag = `${md5Hex(parts.map((part) => Buffer.from(part.md5, 'hex')))}-${parts.length}`;
      const checksum = settings.algorithm
        ? compositeChecksum(
            settings.algorithm,
            parts.map((part) => Buffer.from(part.checksum!.value, 'base64')),
          )
        : undefined;
      if (checksum && settings.algorithm) this.checkObjectChecksum(settings.algorithm, checksum);
      const metadata = storedMetadata(new S3Object(bucket, key, null, await folder.headers()).metadata);
      if (checksum && settings.algorithm) {
        metadata[checksumHeader(settings.algorithm)] = checksum;
        metadata['x-amz-checksum-type'] = 'COMPOSITE';
      }
      const record = { key, segments: parts.map((part) => ({ file: part.file, size: part.size })) };

      const segments = await this.segmentsDirectory(bucket, uploadId);
      await this.withKey(bucket, key, conditions, async () => {
        const moved = await folder.moveTo(segments);
        try {
          await writeSegmentsRecord(segments, record);
          await this.placeObject(bucket, key, { segments }, metadata, etag, conditions.ifNoneMatch === '*');
        } catch (error) {
          await rm(path.join(segments, SEGMENTS_RECORD), { force: true });
          await moved.moveTo(folder.directory);
          throw error;
        }
        // Still under the key's lock: a folder that holds an upload's key and no object links to is one to put back (see recover).
        await moved.end();
        await tidySegments(segments, record);
      });
      if (checksum && settings.algorithm && request) {
        request.completion = { [`Checksum${settings.algorithm}`]: checksum, ChecksumType: 'COMPOSITE' };
      }
      return { md5: etag, size: parts.reduce((total, part) => total + part.size, 0) };
    });
  }

  /** A checksum of the whole object sent with CompleteMultipartUpload must be the composite. */
  private checkObjectChecksum(algorithm: ChecksumAlgorithm, composite: string): void {
    const sent = this.request?.header(checksumHeader(algorithm));
    if (sent !== undefined && sent.split('-')[0] !== composite.split('-')[0]) throw badDigest(algorithm);
  }
}

function parsePartNumber(partNumber: string | number): number {
  const number = Number(partNumber);
  if (!/^\d+$/.test(String(partNumber)) || number < 1 || number > MAX_PART_NUMBER) {
    throw s3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, {
      ArgumentName: 'partNumber',
      ArgumentValue: String(partNumber),
    });
  }
  return number;
}

/** S3's multipart ETag before its `-N`: the MD5 of the parts' raw MD5 digests. */
function md5Hex(digests: Buffer[]): string {
  const md5 = createHash('md5');
  for (const digest of digests) md5.update(digest);
  return md5.digest('hex');
}
