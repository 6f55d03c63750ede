import { createHash } from 'node:crypto';
import type { CreateUploadInput } from '../../generated/graphql';
import { FileServiceError } from './errors';
import {
  CLIENT_TOKEN_PATTERN,
  FILE_TYPE_PATTERN,
  MAX_OBJECT_BYTES,
  MAX_PART_BYTES,
  MAX_PARTS,
  MIN_PART_BYTES,
  MULTIPART_THRESHOLD_BYTES,
  PROJECT_ID_PATTERN,
  defaultPartSize,
} from './limits';
import { partCount, partLength } from './parts';
import { checkContentType, checkFileName } from './validation';

export { partCount, partLength };

/**
 * What createUploadUrl is asked for, checked, and how the bytes will travel:
 * one PUT bound to the whole file's SHA-256, or parts each bound to its own.
 * Pure: the flow in create-upload.ts does the I/O.
 */

interface PlanCommon {
  projectID: string;
  fileName: string;
  fileType: string;
  size: number;
  contentType?: string;
  clientToken?: string;
}

export interface SinglePlan extends PlanCommon {
  kind: 'single';
  /** The whole file's SHA-256, hex: what File.sha256 will hold. */
  sha256: string;
}

export interface MultipartPlan extends PlanCommon {
  kind: 'multipart';
  partSize: number;
  /** Each part's SHA-256, hex, in order. */
  partSha256: string[];
  /** S3's composite checksum of those parts, hex, `-N` appended: what File.sha256 will hold. */
  sha256: string;
}

export type UploadPlan = SinglePlan | MultipartPlan;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const MiB = 1024 * 1024;
const fmt = (n: number) => n.toLocaleString('en-US');
const invalid = (message: string) => new FileServiceError('ValidationError', message);

/** S3's composite checksum of a multipart object: SHA-256 over the parts' raw digests, then `-N`. Hex here; S3 shows it base64. */
export function compositeSha256(partSha256: string[]): string {
  const digest = createHash('sha256');
  for (const part of partSha256) digest.update(Buffer.from(part, 'hex'));
  return `${digest.digest('hex')}-${partSha256.length}`;
}

function wholeBytes(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(`${field} must be a whole number of bytes.`);
  if (value < min || value > max) throw invalid(`${field} must be from ${fmt(min)} to ${fmt(max)} bytes; got ${fmt(value)}.`);
  return value;
}

function choosePartSize(size: number, requested: unknown): number {
  if (requested === undefined || requested === null) return defaultPartSize(size);
  const partSize = wholeBytes(requested, 'partSize', MIN_PART_BYTES, MAX_PART_BYTES);
  if (partCount(size, partSize) > MAX_PARTS) {
    throw invalid(
      `partSize ${fmt(partSize)} splits the file into ${fmt(partCount(size, partSize))} parts; S3 allows ${fmt(MAX_PARTS)}. Use at least ${fmt(Math.ceil(size / MAX_PARTS))} bytes, or omit partSize.`,
    );
  }
  return partSize;
}

function checkHex(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) throw invalid(`${field} must be a SHA-256 as 64 lowercase hex characters.`);
  return value;
}

function common(input: Partial<CreateUploadInput>): PlanCommon {
  const { projectID, fileName, fileType, clientToken, contentType } = input;
  if (typeof projectID !== 'string' || !PROJECT_ID_PATTERN.test(projectID))
    throw invalid('projectID must be 1 to 64 characters of letters, digits, "-" and "_".');
  if (typeof fileName !== 'string') throw invalid('fileName is required and must be a string.');
  checkFileName(fileName, 'fileName');
  if (typeof fileType !== 'string' || !FILE_TYPE_PATTERN.test(fileType)) {
    throw invalid('fileType must be 1 to 64 characters of letters, digits, ".", "-", "_" and "/", e.g. "pdf" or "spec".');
  }
  if (clientToken != null && (typeof clientToken !== 'string' || !CLIENT_TOKEN_PATTERN.test(clientToken))) {
    throw invalid('clientToken must be 1 to 64 characters of letters, digits, "-" and "_" (a UUID works).');
  }
  return {
    projectID,
    fileName,
    fileType,
    size: wholeBytes(input.size, 'size', 1, MAX_OBJECT_BYTES),
    ...(contentType != null ? { contentType: checkContentType(String(contentType), 'contentType') } : {}),
    ...(clientToken != null ? { clientToken } : {}),
  };
}

/** Validates a CreateUploadInput (untrusted) and decides single PUT or multipart. */
export function planUpload(raw: unknown): UploadPlan {
  if (typeof raw !== 'object' || raw === null) throw invalid('input is required.');
  const input = raw as Partial<CreateUploadInput>;
  const base = common(input);
  const threshold = `${fmt(MULTIPART_THRESHOLD_BYTES)} bytes (${MULTIPART_THRESHOLD_BYTES / MiB} MiB)`;

  if (base.size <= MULTIPART_THRESHOLD_BYTES) {
    if (input.partSha256 != null || input.partSize != null) {
      throw invalid(`partSha256 and partSize are for files over ${threshold}; this one goes in one PUT: send sha256 instead.`);
    }
    if (input.sha256 == null) throw invalid(`sha256 is required for files up to ${threshold}: storage checks the PUT's bytes against it.`);
    return { ...base, kind: 'single', sha256: checkHex(input.sha256, 'sha256') };
  }

  if (input.sha256 != null) {
    throw invalid(`sha256 is for files up to ${threshold}; this one goes in parts, each checked by storage: send partSha256 (one SHA-256 per part) instead.`);
  }
  if (!base.clientToken) {
    throw invalid(`clientToken is required for files over ${threshold}: asking again with it is how an upload in parts gets fresh URLs and resumes.`);
  }
  const partSize = choosePartSize(base.size, input.partSize);
  const parts = partCount(base.size, partSize);
  if (!Array.isArray(input.partSha256) || input.partSha256.length !== parts) {
    const got = Array.isArray(input.partSha256) ? `${input.partSha256.length}` : 'none';
    throw invalid(
      `partSha256 must hold one SHA-256 per part: ${fmt(parts)} parts of ${fmt(partSize)} bytes (the last ${fmt(partLength(base.size, partSize, parts))}); got ${got}.`,
    );
  }
  const partSha256 = input.partSha256.map((hash, i) => checkHex(hash, `partSha256[${i}]`));
  return { ...base, kind: 'multipart', partSize, partSha256, sha256: compositeSha256(partSha256) };
}
