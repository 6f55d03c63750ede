import { FileServiceError } from './errors';
import type { MetadataStore, ObjectStore, StoredFile } from './storage';
import { toFile } from './upload-file';

/** A file as deleteFile answers it: `status` tells the downloadUrl resolver there is nothing to sign. */
export type DeletedFile = StoredFile & { status: 'DELETED' };

/**
 * deleteFile: the row first, then the object. A crash between the two leaves
 * an orphan object (found and removed by reconciliation), never a listed
 * file without bytes. The caller's access to the project was checked by the
 * resolver pipeline before this runs.
 */
export async function deleteFile(fileID: unknown, deps: { objects: ObjectStore; metadata: MetadataStore }): Promise<DeletedFile> {
  if (typeof fileID !== 'string' || !fileID) throw new FileServiceError('ValidationError', 'fileID is required.');
  const row = await deps.metadata.deleteIfStatus(fileID, 'AVAILABLE');
  if (row?.status !== 'AVAILABLE') throw new FileServiceError('NotFound', `No file has fileID ${fileID}: it may have been deleted already.`);
  try {
    await deps.objects.delete(row.s3Key);
  } catch (error) {
    // The file is gone for every reader; the bytes left behind are an orphan for reconciliation.
    console.error('deleteFile: the row is deleted but the object could not be; it is orphaned', { key: row.s3Key, error });
  }
  return { ...toFile(row), status: 'DELETED' };
}
