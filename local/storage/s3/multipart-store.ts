import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3Object from 's3rver/lib/models/object.js';
import type { StoredBody } from 's3rver/lib/stores/filesystem.js';
import { ChecksumStore, storedMetadata, UPLOADS_FOLDER } from './checksum-store';
import { checksumHeader, compositeChecksum, parseChecksumAlgorithm, type ChecksumAlgorithm } from './checksums';
import { badDigest, invalidRequest, noSuchUpload, s3Error } from './errors';
import { isErrno, KeyedLock, uniqueName } from './files';
import { bodyExpectations, receiveBody } from './receive-body';
import { UploadFolder, type PartRecord, type UploadSettings } from './upload-folder';

/** S3's smallest part, but for the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

export interface PartListing {
  settings: UploadSettings;
  parts: PartRecord[];
  isTruncated: boolean;
}

/** A part as CompleteMultipartUpload lists it. */
interface ListedPart {
  number: number;
  etag: string;
  /** Its checksum elements by name: `ChecksumSHA256` → base64. */
  checksums: Record<string, string>;
}

/**
 * Multipart uploads as S3 runs them, on s3rver's upload folders:
 * CreateMultipartUpload remembers a checksum algorithm; UploadPart
 * verifies each part like a PUT and requires the upload's algorithm;
 * ListParts and AbortMultipartUpload exist; CompleteMultipartUpload checks
 * the part list as S3 does, answers S3's ETag and composite checksum, and
 * makes the object appear whole, its parts copied once.
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
  private withUpload<T>(bucket: string, uploadId: string | undefined, key: string | undefined, task: (folder: UploadFolder, key: string) => Promise<T>): Promise<T> {
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
  listParts(bucket: string, key: string, uploadId: string | undefined, { maxParts, partNumberMarker }: { maxParts: number; partNumberMarker: number }): Promise<PartListing> {
    return this.withUpload(bucket, uploadId, key, async (folder) => {
      const after = (await folder.parts()).filter((part) => part.partNumber > partNumberMarker);
      return { settings: await folder.settings(), parts: after.slice(0, maxParts), isTruncated: after.length > maxParts };
    });
  }

  /** AbortMultipartUpload: the upload and its parts are gone. */
  abortUpload(bucket: string, key: string, uploadId: string | undefined): Promise<void> {
    return this.withUpload(bucket, uploadId, key, (folder) => folder.remove());
  }

  override putObjectMultipart(bucket: string, uploadId: string, requested: { number: number; etag: string }[]): Promise<StoredBody> {
    const { request } = this;
    const conditions = this.writeConditions();
    const listed = withChecksums(requested, request?.parsedBody);
    return this.withUpload(bucket, uploadId, request?.key, async (folder, key) => {
      // Before copying the parts, though only the check when the object is put in place decides.
      await this.checkConditions(bucket, key, conditions);
      const settings = await folder.settings();
      const parts = choosePartsToComplete(listed, await folder.parts(), settings);
      const etag = `${md5Hex(parts.map((part) => Buffer.from(part.md5, 'hex')))}-${parts.length}`;
      const checksum = settings.algorithm
        ? compositeChecksum(settings.algorithm, parts.map((part) => Buffer.from(part.checksum!.value, 'base64')))
        : undefined;
      if (checksum && settings.algorithm) this.checkObjectChecksum(settings.algorithm, checksum);

      // One pass over the parts, streamed: the object is copied once, never held in memory.
      const temp = path.join(await this.tempDirectory(bucket), uniqueName('object'));
      await pipeline(async function* () {
        for (const part of parts) yield* createReadStream(folder.partPath(part), { highWaterMark: 1024 * 1024 });
      }, createWriteStream(temp, { flags: 'wx' })).catch(async (error) => {
        await rm(temp, { force: true });
        throw error;
      });

      const metadata = storedMetadata(new S3Object(bucket, key, null, await folder.headers()).metadata);
      if (checksum && settings.algorithm) {
        metadata[checksumHeader(settings.algorithm)] = checksum;
        metadata['x-amz-checksum-type'] = 'COMPOSITE';
      }
      await this.commitObject(bucket, key, temp, metadata, etag, conditions);
      await folder.remove();
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

/**
 * The stored parts a CompleteMultipartUpload's list names, refused as S3
 * refuses it: parts out of order, a part not stored with that ETag (or,
 * for an upload with a checksum algorithm, that checksum), a checksum
 * missing, a part but the last under 5 MiB.
 */
function choosePartsToComplete(listed: ListedPart[], stored: PartRecord[], settings: UploadSettings): PartRecord[] {
  listed.forEach((part, index) => {
    if (index > 0 && part.number <= listed[index - 1].number) {
      throw s3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
    }
  });
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  const parts = listed.map((requested) => {
    const part = byNumber.get(requested.number);
    const invalidPart = () =>
      s3Error(
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        { PartNumber: requested.number, ETag: requested.etag },
      );
    if (!part || part.md5 !== requested.etag) throw invalidPart();
    if (settings.algorithm) {
      const checksum = requested.checksums[`Checksum${settings.algorithm}`];
      if (checksum === undefined) {
        throw invalidRequest(
          `The upload was created using a ${settings.algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${requested.number} in the request.`,
        );
      }
      if (part.checksum?.algorithm !== settings.algorithm || part.checksum.value !== checksum) throw invalidPart();
    }
    return part;
  });
  parts.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_SIZE) {
      throw s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
        ProposedSize: part.size,
        MinSizeAllowed: MIN_PART_SIZE,
        PartNumber: part.partNumber,
        ETag: `"${part.md5}"`,
      });
    }
  });
  return parts;
}

/** The part list s3rver's controller read, with each part's checksum from the same XML (the controller drops them). */
function withChecksums(requested: { number: number; etag: string }[], parsedBody: unknown): ListedPart[] {
  const body = parsedBody as { CompleteMultipartUpload?: { Part?: Record<string, unknown> | Record<string, unknown>[] } } | undefined;
  const xmlParts = ([] as Record<string, unknown>[]).concat(body?.CompleteMultipartUpload?.Part ?? []);
  return requested.map((part, index) => {
    const xml = xmlParts[index] ?? {};
    const checksums = Object.fromEntries(Object.entries(xml).filter(([name]) => name.startsWith('Checksum')).map(([name, value]) => [name, String(value)]));
    return { number: part.number, etag: part.etag, checksums };
  });
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
