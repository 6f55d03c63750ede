import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Uploader } from './uploader';
import { resolveContentType } from './content-type';
import { FileServiceError } from './errors';
import { idempotentFileID, newFileID, objectKey } from './keys';
import type { FileItem, FileRow, MetadataStore, ObjectStore, StoredFile } from './storage';
import { graphqlChannel, validateUploadInput, type UploadChannel, type ValidUpload } from './validation';

/**
 * The small-upload flow: validate → decode → hash → detect type → S3 PutObject
 * (checksummed) → DynamoDB PutItem (conditional). A success means both the
 * object and the row exist; a failure leaves neither. With a clientToken the
 * fileID is derived from (caller, project, token), so a retry finds the first
 * attempt's row and returns it instead of storing a second copy.
 */

export interface UploadDeps {
  objects: ObjectStore;
  metadata: MetadataStore;
  now?: () => Date;
}

export function toFile(item: FileItem): StoredFile {
  const { fileID, projectID, fileName, fileType, contentType, size, sha256, s3Key, uploadedAt, uploadedBy } = item;
  return {
    fileID,
    projectID,
    fileName,
    fileType,
    contentType,
    size,
    sha256,
    ...(item.partSize ? { partSize: item.partSize } : {}),
    s3Key,
    uploadedAt,
    uploadedBy,
  };
}

/** What an earlier upload under the same clientToken means for this one. */
function replay(existing: FileRow, sha256: string, clientToken: string): StoredFile {
  if (existing.status === 'AVAILABLE' && existing.sha256 === sha256) return toFile(existing);
  if (existing.status !== 'AVAILABLE') {
    throw new FileServiceError('Conflict', `An upload with clientToken "${clientToken}" is still in progress; retry in a moment.`);
  }
  throw new FileServiceError(
    'Conflict',
    `clientToken "${clientToken}" was already used for different content (file ${existing.fileID}). Use a new clientToken for a new file.`,
  );
}

/** A concurrent attempt with the same clientToken got there first: return its file, or explain. */
function resolveRace(winner: FileRow | undefined, sha256: string, clientToken: string): StoredFile {
  if (winner) return replay(winner, sha256, clientToken);
  // Its object exists but its row not yet (or its row write failed and it is cleaning up).
  throw new FileServiceError('Conflict', `An upload with clientToken "${clientToken}" is still in progress; retry in a moment.`);
}

async function buildItem(upload: ValidUpload, caller: Uploader, now: Date, channel: UploadChannel): Promise<FileItem> {
  const { projectID, fileName, fileType, clientToken, content } = upload;
  const fileID = clientToken ? idempotentFileID(caller.idempotencyKey, projectID, clientToken) : newFileID();
  return {
    fileID,
    projectID,
    fileName,
    fileType,
    contentType: await resolveContentType(content, { declared: upload.contentType, fileName: upload.fileName, field: channel.fieldNames.contentType }),
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    s3Key: objectKey(projectID, fileID, fileName),
    uploadedAt: now.toISOString(),
    uploadedBy: caller.uploadedBy,
    status: 'AVAILABLE',
    ...(clientToken ? { clientToken } : {}),
  };
}

export async function uploadFile(input: unknown, caller: Uploader, deps: UploadDeps, channel: UploadChannel = graphqlChannel): Promise<StoredFile> {
  const upload = validateUploadInput(input, channel);
  const item = await buildItem(upload, caller, deps.now?.() ?? new Date(), channel);
  const { clientToken } = upload;

  if (clientToken) {
    const existing = await deps.metadata.get(item.fileID);
    if (existing) return replay(existing, item.sha256, clientToken);
  }

  const stored = await deps.objects.putIfAbsent({
    key: item.s3Key,
    body: upload.content,
    contentType: item.contentType,
    sha256Base64: Buffer.from(item.sha256, 'hex').toString('base64'),
  });
  if (stored === 'exists') {
    // The key holds a fileID: only a concurrent retry of the same clientToken can have written it.
    if (clientToken) return resolveRace(await winnersRow(deps.metadata, item.fileID), item.sha256, clientToken);
    throw new Error(`object key ${item.s3Key} already exists for a fresh random fileID`);
  }

  let written: 'created' | 'exists';
  try {
    written = await deps.metadata.putIfAbsent(item);
  } catch (error) {
    // The write may have committed before the error reached us (a timeout, a retried request), or a concurrent
    // retry's row may name our object: either way the object is in use and must stay.
    let row: FileRow | undefined;
    try {
      row = await deps.metadata.get(item.fileID);
    } catch {
      // Unless DynamoDB refused the write (a client fault: nothing was written), whether a row names the object
      // is unknown, so it stays; if none does, reconciliation removes it later.
      if (!refused(error)) throw error;
    }
    if (row?.s3Key === item.s3Key) return clientToken ? replay(row, item.sha256, clientToken) : toFile(item);
    await removeObject(deps, item.s3Key, error);
    throw error;
  }
  if (written === 'exists') {
    // The row may be our own: the SDK retried our PutItem after its first attempt committed and the answer was lost.
    // Or a concurrent retry (same clientToken) wrote it first: under another file name its object has another key,
    // and ours is unused.
    const row = await deps.metadata.get(item.fileID);
    if (row && row.s3Key !== item.s3Key) await removeObject(deps, item.s3Key, undefined);
    if (clientToken) return resolveRace(row, item.sha256, clientToken);
    if (row?.s3Key === item.s3Key) return toFile(item);
    throw new Error(`metadata row ${item.fileID} already exists for a fresh random fileID`);
  }
  return toFile(item);
}

/**
 * DynamoDB refused the request (4xx) at its only attempt: nothing was written.
 * A refusal after SDK retries proves nothing about the earlier attempts (one
 * may have committed and lost its answer).
 */
const refused = (error: unknown) => {
  const { $fault, $metadata } = (error ?? {}) as { $fault?: string; $metadata?: { attempts?: number } };
  return $fault === 'client' && $metadata?.attempts === 1;
};

/** Waits that long at most for a concurrent attempt's row: it follows its object within milliseconds. */
const RACE_WAIT_MS = [25, 50, 100, 200, 400];

/** The row of the attempt whose object won the key, once it has written it (undefined if it does not in time). */
async function winnersRow(metadata: MetadataStore, fileID: string): Promise<FileRow | undefined> {
  for (const pause of [0, ...RACE_WAIT_MS]) {
    if (pause) await sleep(pause);
    const row = await metadata.get(fileID);
    if (row) return row;
  }
  return undefined;
}

/** Undoes the object write so that a failed upload leaves nothing behind. */
async function removeObject(deps: UploadDeps, key: string, cause: unknown): Promise<void> {
  try {
    await deps.objects.delete(key);
  } catch (deleteError) {
    // The original failure is what the caller hears about; the orphan is logged for cleanup.
    console.error('upload: could not delete the object after a failed metadata write; it is orphaned', { key, deleteError, cause });
  }
}
