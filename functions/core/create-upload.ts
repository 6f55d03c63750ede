import type { UploadPart, UploadTicket } from '../../generated/graphql';
import type { Uploader } from './uploader';
import { storableContentType } from './content-type';
import { FileServiceError } from './errors';
import { hexToBase64 } from './checksums';
import { idempotentFileID, newFileID, objectKey } from './keys';
import { MAX_PART_URLS_PER_TICKET, PENDING_UPLOAD_SECONDS, URL_EXPIRY_SECONDS } from './limits';
import { isExpired, type FileRow, type MetadataStore, type PendingItem } from './storage';
import type { StoredPart, TransferStore } from './transfers';
import { partCount, partLength, planUpload, type MultipartPlan, type UploadPlan } from './upload-plan';

/**
 * createUploadUrl: records a PENDING row and hands out presigned URLs that
 * bind each request's size and SHA-256, so storage takes no other bytes. With
 * a clientToken the fileID is derived from (caller, project, token): asking
 * again resumes the same upload with fresh URLs, skipping parts already stored.
 */

export interface DirectUploadDeps {
  metadata: MetadataStore;
  transfers: TransferStore;
  now?: () => Date;
}

function pendingRow(plan: UploadPlan, fileID: string, caller: Uploader, now: Date): PendingItem {
  return {
    fileID,
    projectID: plan.projectID,
    fileName: plan.fileName,
    fileType: plan.fileType,
    // The declared type until completeUpload detects the stored one.
    contentType: storableContentType(plan.contentType),
    size: plan.size,
    sha256: plan.sha256,
    ...(plan.kind === 'multipart' ? { partSize: plan.partSize } : {}),
    s3Key: objectKey(plan.projectID, fileID, plan.fileName),
    uploadedBy: caller.uploadedBy,
    uploaderKey: caller.idempotencyKey,
    status: 'PENDING',
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + PENDING_UPLOAD_SECONDS,
    ...(plan.clientToken ? { clientToken: plan.clientToken } : {}),
  };
}

/** Whether an earlier call with the same clientToken asked for this very file. */
const sameFile = (row: FileRow, plan: UploadPlan) =>
  row.fileName === plan.fileName &&
  row.fileType === plan.fileType &&
  row.size === plan.size &&
  row.sha256 === plan.sha256 &&
  (row.partSize ?? null) === (plan.kind === 'multipart' ? plan.partSize : null);

async function partsTicket(row: PendingItem, plan: MultipartPlan, stored: StoredPart[], transfers: TransferStore): Promise<UploadPart[]> {
  const held = new Map(stored.map((part) => [part.partNumber, part]));
  const parts: UploadPart[] = [];
  let urls = 0;
  for (let partNumber = 1; partNumber <= partCount(plan.size, plan.partSize); partNumber++) {
    const size = partLength(plan.size, plan.partSize, partNumber);
    const sha256Base64 = hexToBase64(plan.partSha256[partNumber - 1]);
    const existing = held.get(partNumber);
    if (existing && existing.size === size && existing.sha256Base64 === sha256Base64) {
      parts.push({ partNumber, url: null, headers: null, etag: existing.etag });
    } else if (urls < MAX_PART_URLS_PER_TICKET) {
      urls += 1;
      const signed = await transfers.presignPart(row.s3Key, row.uploadId!, { partNumber, size, sha256Base64 });
      parts.push({ partNumber, url: signed.url, headers: JSON.stringify(signed.headers), etag: null });
    } else {
      parts.push({ partNumber, url: null, headers: null, etag: null });
    }
  }
  return parts;
}

async function ticket(row: PendingItem, plan: UploadPlan, deps: DirectUploadDeps, now: Date): Promise<UploadTicket> {
  const expiresAt = new Date(now.getTime() + URL_EXPIRY_SECONDS * 1000).toISOString();
  const none = { uploadUrl: null, uploadHeaders: null, partSize: null, parts: null };
  if (plan.kind === 'single') {
    const signed = await deps.transfers.presignPut(row.s3Key, { size: plan.size, sha256Base64: hexToBase64(plan.sha256), contentType: row.contentType });
    return { ...none, fileID: row.fileID, expiresAt, uploadUrl: signed.url, uploadHeaders: JSON.stringify(signed.headers) };
  }
  const stored = (await deps.transfers.listParts(row.s3Key, row.uploadId!)) ?? [];
  return { ...none, fileID: row.fileID, expiresAt, partSize: plan.partSize, parts: await partsTicket(row, plan, stored, deps.transfers) };
}

/** An earlier call with this clientToken made `existing`: resume it, or explain why not. */
async function resume(existing: FileRow, plan: UploadPlan, caller: Uploader, deps: DirectUploadDeps, now: Date): Promise<UploadTicket> {
  const token = plan.clientToken!;
  if (!sameFile(existing, plan)) {
    throw new FileServiceError(
      'Conflict',
      `clientToken "${token}" was already used for another file (${existing.fileName}, ${existing.size} bytes). Use a new clientToken for a new file.`,
    );
  }
  if (existing.status === 'AVAILABLE') {
    throw new FileServiceError(
      'Conflict',
      `The upload with clientToken "${token}" is already complete: it is file ${existing.fileID}. Use a new clientToken for a new file.`,
    );
  }
  const expired = isExpired(existing, now);
  if (expired || (existing.uploadId && !(await deps.transfers.listParts(existing.s3Key, existing.uploadId)))) {
    // Its time is up, or storage no longer knows its multipart upload: start it again under the same fileID.
    // Only this very upload's row is removed: a concurrent call may have started a newer one already.
    if (!(await deps.metadata.deleteIfStatus(existing.fileID, 'PENDING', existing.createdAt))) {
      throw new FileServiceError('Conflict', `The upload with clientToken "${token}" changed while this call ran; retry.`);
    }
    if (expired && existing.uploadId) await deps.transfers.abortMultipart(existing.s3Key, existing.uploadId);
    return start(plan, existing.fileID, caller, deps, now);
  }
  return ticket(existing, plan, deps, now);
}

async function start(plan: UploadPlan, fileID: string, caller: Uploader, deps: DirectUploadDeps, now: Date): Promise<UploadTicket> {
  const row = pendingRow(plan, fileID, caller, now);
  if (plan.kind === 'multipart') row.uploadId = await deps.transfers.createMultipart(row.s3Key, row.contentType);
  let written: 'created' | 'exists';
  try {
    written = await deps.metadata.putIfAbsent(row);
  } catch (error) {
    // The write may have committed before the error reached us: keep the multipart upload if the row names it.
    const found = await deps.metadata.get(fileID).catch(() => undefined);
    if (found?.status === 'PENDING' && found.uploadId === row.uploadId) return ticket(row, plan, deps, now);
    if (row.uploadId) await deps.transfers.abortMultipart(row.s3Key, row.uploadId).catch(() => {});
    throw error;
  }
  if (written === 'exists') {
    // A concurrent call with the same clientToken wrote its row first: ours is unused.
    if (row.uploadId) await deps.transfers.abortMultipart(row.s3Key, row.uploadId);
    const winner = await deps.metadata.get(fileID);
    if (!winner) throw new FileServiceError('Conflict', `An upload with clientToken "${plan.clientToken}" changed while this call ran; retry.`);
    return resume(winner, plan, caller, deps, now);
  }
  return ticket(row, plan, deps, now);
}

export async function createUpload(input: unknown, caller: Uploader, deps: DirectUploadDeps): Promise<UploadTicket> {
  const plan = planUpload(input);
  const now = deps.now?.() ?? new Date();
  if (!plan.clientToken) return start(plan, newFileID(), caller, deps, now);
  const fileID = idempotentFileID(caller.idempotencyKey, plan.projectID, plan.clientToken);
  const existing = await deps.metadata.get(fileID);
  return existing ? resume(existing, plan, caller, deps, now) : start(plan, fileID, caller, deps, now);
}
