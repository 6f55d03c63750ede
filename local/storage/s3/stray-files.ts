/** What a crash can leave among a bucket folder's files, for ObjectStore.recover(). */
import { filesUnder } from './list-objects';

/** What ObjectStore.recover() found and did. */
export interface RecoveryReport {
  /** Metadata and MD5 files of objects that do not exist, removed. */
  leftoverFiles: number;
  /** Objects without a metadata file, kept as they are. */
  objectsWithoutMetadata: number;
}

/** The files of a bucket folder that belong to no object, and the objects that have no metadata file. */
export async function strayObjectFiles(bucketPath: string, internalFolders: string[]): Promise<{ leftovers: string[]; objectsWithoutMetadata: number }> {
  const files = new Set(await filesUnder(bucketPath, internalFolders));
  const objectOf = (file: string) => file.replace(/\._S3rver_(metadata\.json|object\.md5)$/, '._S3rver_object');
  const leftovers = [...files].filter((file) => objectOf(file) !== file && !files.has(objectOf(file)));
  const objectsWithoutMetadata = [...files].filter((file) => file.endsWith('._S3rver_object') && !files.has(file.replace(/_object$/, '_metadata.json'))).length;
  return { leftovers, objectsWithoutMetadata };
}
