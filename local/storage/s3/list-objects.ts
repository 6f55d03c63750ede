import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import FilesystemStore, { type ListObjectsOptions } from 's3rver/lib/stores/filesystem.js';
import { isErrno } from './files';

/**
 * The object keys of a bucket folder, as s3rver's listObjects finds them
 * (same prefix, delimiter and start-after rules) with three differences:
 * - the store's own folders (uploads in progress, files being written) are
 *   not walked, and an entry that disappears while the walk runs is
 *   skipped, where s3rver's walk failed the whole listing;
 * - keys come in S3's (lexicographic) order, not the file system's, so
 *   max-keys and continuation pick the right ones;
 * - it walks asynchronously, not blocking the server.
 */
export async function listKeys(
  bucketPath: string,
  internalFolders: string[],
  { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity }: ListObjectsOptions,
): Promise<{ keys: string[]; commonPrefixes: string[]; isTruncated: boolean }> {
  const delimiterEnc = FilesystemStore.encodeKeyPath(delimiter);
  const startAfterPath = [bucketPath, FilesystemStore.encodeKeyPath(startAfter)].join('/');
  const prefixPath = [bucketPath, FilesystemStore.encodeKeyPath(prefix)].join('/');
  const skipped = new Set(internalFolders.map((folder) => path.posix.join(bucketPath, folder)));

  const descend = (dirPath: string) => {
    if (skipped.has(dirPath)) return false;
    // avoid directories occurring before the startAfter parameter
    if (dirPath < startAfterPath && startAfterPath.indexOf(dirPath) === -1) return false;
    if (dirPath.startsWith(prefixPath)) {
      // avoid directories occurring beneath a common prefix
      return !(delimiterEnc && dirPath.slice(prefixPath.length).indexOf(delimiterEnc) !== -1);
    }
    // avoid directories that do not intersect with any part of the prefix
    return prefixPath.startsWith(dirPath);
  };

  const objectSuffix = '._S3rver_object';
  const matches: { key: string; commonPrefix?: string }[] = [];
  for await (const keyPath of walk(bucketPath, descend)) {
    if (!keyPath.endsWith(objectSuffix)) continue;
    const key = FilesystemStore.decodeKeyPath(keyPath.slice(bucketPath.length + 1, -objectSuffix.length));
    if (key <= startAfter || !key.startsWith(prefix)) continue;
    const index = delimiter ? key.slice(prefix.length).indexOf(delimiter) : -1;
    matches.push(index === -1 ? { key } : { key, commonPrefix: key.slice(0, prefix.length + index + 1) });
  }
  matches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  // As s3rver: common prefixes do not count towards max-keys; those seen before the cut are kept.
  const keys: string[] = [];
  const commonPrefixes = new Set<string>();
  let isTruncated = false;
  for (const match of matches) {
    if (match.commonPrefix) {
      commonPrefixes.add(match.commonPrefix);
    } else if (keys.length < maxKeys) {
      keys.push(match.key);
    } else {
      isTruncated = true;
      break;
    }
  }
  return { keys, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
}

/** Every file under `folder`, the `skipped` folders left out. */
export async function filesUnder(folder: string, skipped: string[]): Promise<string[]> {
  const left = new Set(skipped.map((dir) => path.resolve(dir)));
  const files: string[] = [];
  for await (const file of walk(folder, (dirPath) => !left.has(path.resolve(dirPath)))) files.push(file);
  return files;
}

async function* walk(dir: string, descend: (dirPath: string) => boolean): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return;
    throw error;
  }
  for (const entry of entries) {
    const entryPath = path.posix.join(dir, entry.name);
    if (!entry.isDirectory()) {
      yield entryPath;
    } else if (descend(entryPath)) {
      yield* walk(entryPath, descend);
    }
  }
}
