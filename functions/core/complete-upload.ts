import type { CompleteUploadInput } from '../../generated/graphql';
import type { Uploader } from './uploader';
import { base64ToHex, hexToBase64 } from './checksums';
import { resolveContentType } from './content-type';
import { FileServiceError, isFileServiceError } from './errors';
import { CONTENT_SNIFF_BYTES } from './limits';
import type { DirectUploadDeps } from './create-upload';
import { isExpired, type ObjectStore, type PendingItem, type StoredFile } from './storage';
import type { StoredPart } from './transfers';
import { compositeSha256, partCount, partLength } from './upload-plan';
import { toFile } from './upload-file';

/**
 * completeUpload and abortUpload. Completion trusts storage, not the caller:
 * the object's size and SHA-256 (composite for multipart) as S3 reports them
 * must equal what the ticket bound; the content type comes from the first
 * bytes. Bytes that do not match are discarded with their row.
 */

export interface ManageDeps extends DirectUploadDeps {
  objects: ObjectStore;
}

/** Who acts on an upload: the caller, and whether it is an admin (who may act on anyone's upload). */
export interface Actor {
  caller: Uploader;
  isAdmin: boolean;
}

const notFound = (fileID: string) =>
  new FileServiceError('NotFound', `No upload has fileID ${fileID}: it may have been aborted, discarded or expired. Start again with createUploadUrl.`);

/** The PENDING row of `fileID` when the actor may act on it; undefined when the upload is already complete. */
async function uploadOf(fileID: unknown, actor: Actor, deps: ManageDeps) {
  if (typeof fileID !== 'string' || !fileID) throw new FileServiceError('ValidationError', 'fileID is required.');
  const row = await deps.metadata.get(fileID);
  // Rows made by uploadFile have no uploaderKey: they were never direct uploads.
  if (!row?.uploaderKey) throw notFound(fileID);
  if (row.uploaderKey !== actor.caller.idempotencyKey && !actor.isAdmin) {
    throw new FileServiceError('Unauthorized', `Only the uploader of file ${fileID} or an admin may complete or abort its upload.`);
  }
  // DynamoDB's TTL deletes expired rows only eventually: an expired upload is gone already for callers.
  if (row.status === 'PENDING' && isExpired(row, deps.now?.() ?? new Date())) {
    await discard(row, deps);
    throw notFound(fileID);
  }
  return row;
}

/**
 * Removes a failed or abandoned upload: the row first, then its parts or
 * object. Once the PENDING row is gone no completeUpload can make it
 * AVAILABLE (it requires PENDING), so the bytes removed next are never a
 * listed file's. A crash in between leaves bytes without a row: aborted by
 * the bucket's lifecycle rule (parts) or removed by reconciliation (object).
 * False when the row was no longer this PENDING upload: nothing was removed.
 */
export async function discard(row: PendingItem, deps: ManageDeps): Promise<boolean> {
  if (!(await deps.metadata.deleteIfStatus(row.fileID, 'PENDING', row.createdAt))) return false;
  if (row.uploadId) await deps.transfers.abortMultipart(row.s3Key, row.uploadId);
  await deps.objects.delete(row.s3Key);
  return true;
}

async function discardAndRefuse(row: PendingItem, deps: ManageDeps, problem: string): Promise<never> {
  await discard(row, deps);
  throw new FileServiceError('ValidationError', `${problem} The upload of file ${row.fileID} was discarded: start again with createUploadUrl.`);
}

const unquote = (etag: string) => etag.replace(/"/g, '');

function checkClaimedParts(claimed: unknown, stored: StoredPart[]): void {
  if (claimed == null) return;
  if (!Array.isArray(claimed)) throw new FileServiceError('ValidationError', 'parts must be a list of {partNumber, etag}.');
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  for (const part of claimed as { partNumber?: unknown; etag?: unknown }[]) {
    const held = byNumber.get(part?.partNumber as number);
    if (!held || typeof part.etag !== 'string' || unquote(part.etag) !== unquote(held.etag)) {
      throw new FileServiceError(
        'ValidationError',
        `Part ${String(part?.partNumber)} with ETag ${String(part?.etag)} is not what storage holds: send the ETags storage answered the part PUTs with.`,
      );
    }
  }
}

/**
 * Storage no longer knows the multipart upload. Either an earlier
 * completeUpload assembled it and failed before recording it (a timeout, a
 * concurrent call): the object is there, and completion goes on; or it was
 * aborted: the upload is gone.
 */
async function afterVanishedUpload(row: PendingItem, deps: ManageDeps): Promise<void> {
  if (await deps.transfers.head(row.s3Key)) return;
  await deps.metadata.deleteIfStatus(row.fileID, 'PENDING', row.createdAt);
  throw notFound(row.fileID);
}

/** Assembles a multipart upload whose parts are all stored and match the ticket. */
async function assemble(row: PendingItem, claimed: unknown, deps: ManageDeps): Promise<void> {
  const stored = await deps.transfers.listParts(row.s3Key, row.uploadId!);
  if (!stored) return afterVanishedUpload(row, deps);
  const count = partCount(row.size, row.partSize!);
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  const parts = Array.from({ length: count }, (_, i) => byNumber.get(i + 1));
  const missing = parts.flatMap((part, i) => (part && part.size === partLength(row.size, row.partSize!, i + 1) ? [] : [i + 1]));
  if (missing.length) {
    const shown = missing.length > 10 ? `${missing.slice(0, 10).join(', ')} and ${missing.length - 10} more` : missing.join(', ');
    throw new FileServiceError(
      'ValidationError',
      `Part${missing.length > 1 ? 's' : ''} ${shown} of file ${row.fileID} ${missing.length > 1 ? 'are' : 'is'} not stored yet: PUT them (createUploadUrl with the same clientToken gives fresh URLs), then call completeUpload again.`,
    );
  }
  checkClaimedParts(claimed, stored);
  const complete = parts as StoredPart[];
  if (complete.some((p) => !p.sha256Base64) || compositeSha256(complete.map((p) => base64ToHex(p.sha256Base64!))) !== row.sha256) {
    await discardAndRefuse(row, deps, 'The stored parts do not have the SHA-256 values the ticket was made for.');
  }
  if ((await deps.transfers.completeMultipart(row.s3Key, row.uploadId!, complete)) === 'no-such-upload') await afterVanishedUpload(row, deps);
}

async function verifiedContentType(row: PendingItem, deps: ManageDeps): Promise<string> {
  const facts = await deps.transfers.head(row.s3Key);
  if (!facts) {
    throw new FileServiceError(
      'ValidationError',
      `No bytes have arrived for file ${row.fileID} yet: PUT the file to the ticket's uploadUrl with its uploadHeaders, then call completeUpload again.`,
    );
  }
  if (facts.size !== row.size || facts.sha256Base64 !== hexToBase64(row.sha256)) {
    await discardAndRefuse(
      row,
      deps,
      `The stored object (${facts.size} bytes, SHA-256 ${facts.sha256Base64 ? base64ToHex(facts.sha256Base64) : 'unknown'}) is not the declared file (${row.size} bytes, SHA-256 ${row.sha256}).`,
    );
  }
  try {
    return await resolveContentType(await deps.transfers.readStart(row.s3Key, CONTENT_SNIFF_BYTES), { declared: row.contentType, fileName: row.fileName });
  } catch (error) {
    if (!isFileServiceError(error)) throw error;
    await discard(row, deps);
    throw new FileServiceError(error.errorType, `${error.message} The upload of file ${row.fileID} was discarded: start again with createUploadUrl.`);
  }
}

export async function completeUpload(input: unknown, actor: Actor, deps: ManageDeps): Promise<StoredFile> {
  const { fileID, parts } = (input ?? {}) as Partial<CompleteUploadInput>;
  const row = await uploadOf(fileID, actor, deps);
  if (row.status === 'AVAILABLE') return toFile(row);
  if (row.uploadId) await assemble(row, parts, deps);
  else if (parts?.length) throw new FileServiceError('ValidationError', `File ${row.fileID} was uploaded in one PUT: call completeUpload without parts.`);

  const contentType = await verifiedContentType(row, deps);
  const uploadedAt = (deps.now?.() ?? new Date()).toISOString();
  if ((await deps.metadata.markAvailable(row.fileID, { uploadedAt, contentType })) === 'not-pending') {
    // A concurrent completeUpload got there first: its file is this one.
    const done = await deps.metadata.get(row.fileID);
    if (done?.status === 'AVAILABLE') return toFile(done);
    throw notFound(row.fileID);
  }
  const { uploadId: _uploadId, expiresAt: _expiresAt, createdAt: _createdAt, ...rest } = row;
  return toFile({ ...rest, status: 'AVAILABLE', uploadedAt, contentType });
}

export async function abortUpload(fileID: unknown, actor: Actor, deps: ManageDeps): Promise<string> {
  const row = await uploadOf(fileID, actor, deps);
  if (row.status === 'AVAILABLE') {
    throw new FileServiceError('Conflict', `The upload of file ${row.fileID} is already complete: remove the file with deleteFile.`);
  }
  if (!(await discard(row, deps))) {
    // A concurrent completeUpload made it a file first (or another call discarded it).
    const now = await deps.metadata.get(row.fileID);
    if (now?.status === 'AVAILABLE')
      throw new FileServiceError('Conflict', `The upload of file ${row.fileID} completed while it was being aborted: remove the file with deleteFile.`);
    throw notFound(row.fileID);
  }
  return row.fileID;
}
