import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChecksumAlgorithm } from './checksums';
import { isErrno, uniqueName, writeFileAtomic } from './files';

/**
 * One multipart upload on disk, in s3rver's folder for it
 * (`<bucket>/._S3rver_uploads/<uploadId>/`), whose `key` and `metadata`
 * files keep s3rver's format. A part is two files: its bytes under a name
 * of their own, and `<partNumber>.json`, the record that names them. A new
 * upload of a part number writes its bytes, then renames its record over
 * the old one: readers see the old part or the new one, never half of
 * either; the replaced bytes are removed after. CompleteMultipartUpload
 * moves the whole folder to be the object's segments (see segments.ts).
 */

export interface PartRecord {
  partNumber: number;
  /** The file in the upload folder that holds the part's bytes. */
  file: string;
  /** MD5 of the bytes, hex: the part's ETag without quotes. */
  md5: string;
  size: number;
  lastModified: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

/** What CreateMultipartUpload asked for: the algorithm every part must carry a checksum of. */
export interface UploadSettings {
  algorithm?: ChecksumAlgorithm;
  type?: 'COMPOSITE';
}

const RECORD = /^(\d+)\.json$/;

export class UploadFolder {
  private constructor(readonly directory: string) {}

  /** The folder of `uploadId`; undefined for an id that cannot be one (it must not climb out of the uploads folder). */
  static of(uploadsDirectory: string, uploadId: string | undefined): UploadFolder | undefined {
    if (!uploadId || !/^[A-Za-z0-9_-]+$/.test(uploadId)) return undefined;
    return new UploadFolder(path.join(uploadsDirectory, uploadId));
  }

  /** Writes the upload's settings and headers, then its key: the upload exists once `key` does. */
  async create(key: string, headers: Record<string, unknown>, settings: UploadSettings): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await writeFile(path.join(this.directory, 'metadata'), JSON.stringify(headers));
    await writeFile(path.join(this.directory, 'settings.json'), JSON.stringify(settings));
    await writeFileAtomic(path.join(this.directory, 'key'), key, this.directory);
  }

  /** The object key the upload is for; undefined when there is no such upload (never created, aborted or completed). */
  async key(): Promise<string | undefined> {
    return readIfPresent(path.join(this.directory, 'key'));
  }

  async settings(): Promise<UploadSettings> {
    const json = await readIfPresent(path.join(this.directory, 'settings.json'));
    return json ? (JSON.parse(json) as UploadSettings) : {};
  }

  /** The request headers CreateMultipartUpload came with (s3rver's `metadata` file). */
  async headers(): Promise<Record<string, unknown>> {
    const json = await readIfPresent(path.join(this.directory, 'metadata'));
    return json ? (JSON.parse(json) as Record<string, unknown>) : {};
  }

  /** Where a new upload of `partNumber` writes its bytes. */
  newPartFile(partNumber: number): string {
    return path.join(this.directory, uniqueName(`${partNumber}.part`));
  }

  partPath(part: PartRecord): string {
    return path.join(this.directory, part.file);
  }

  /** Every stored part, by part number. */
  async parts(): Promise<PartRecord[]> {
    const names = await readdir(this.directory).catch((error) => {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    });
    const records = await Promise.all(names.filter((name) => RECORD.test(name)).map((name) => readIfPresent(path.join(this.directory, name))));
    return records
      .filter((json): json is string => json !== undefined)
      .map((json) => JSON.parse(json) as PartRecord)
      .sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Makes `part` the upload's part of its number, replacing (and removing) any earlier one. */
  async savePart(part: PartRecord): Promise<void> {
    const recordPath = path.join(this.directory, `${part.partNumber}.json`);
    const previous = await readIfPresent(recordPath);
    await writeFileAtomic(recordPath, JSON.stringify(part), this.directory);
    if (previous) {
      const replaced = JSON.parse(previous) as PartRecord;
      if (replaced.file !== part.file) await rm(this.partPath(replaced), { force: true });
    }
  }

  /** Moves the folder, on the same file system: the upload, all its files, is at once gone from where it was. */
  async moveTo(directory: string): Promise<UploadFolder> {
    await rename(this.directory, directory);
    return new UploadFolder(directory);
  }

  /** Ends the upload, its files left in place (they became an object's segments): without its key, a folder is no upload. */
  async end(): Promise<void> {
    await rm(path.join(this.directory, 'key'), { force: true });
  }

  async remove(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
  }
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}
