import { createHash, randomUUID } from 'node:crypto';
import { PROJECT_ID_PATTERN } from './limits';

/**
 * Storage keys and file IDs. The key embeds the fileID, so two uploads of the
 * same name never overwrite each other, and a sanitised name, so no file
 * name can reach outside `projects/{projectID}/{fileID}/`.
 */

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;
const SEPARATORS = /[/\\]+/;
// ".", ".." and longer runs of dots mean "here" or "up" to some tools; none is a name.
const DOTS_ONLY = /^\.+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The file name as one safe key segment: control characters removed, split at
 * `/` and `\`, dot-only segments dropped, the rest joined with `_`
 * (`a/b\c` → `a_b_c`, `../../etc/passwd` → `etc_passwd`). Never empty.
 * The name as given is kept in the metadata row.
 */
export function safeName(fileName: string): string {
  const segments = fileName
    .replace(CONTROL_CHARS, '')
    .split(SEPARATORS)
    .filter((segment) => segment !== '' && !DOTS_ONLY.test(segment));
  return segments.join('_') || 'file';
}

/** `projects/{projectID}/{fileID}/{safeName}`. */
export function objectKey(projectID: string, fileID: string, fileName: string): string {
  // Both are checked upstream; re-checked here because the key's confinement depends on them.
  if (!PROJECT_ID_PATTERN.test(projectID)) throw new Error('objectKey: malformed projectID');
  if (!UUID.test(fileID)) throw new Error('objectKey: fileID is not a lowercase UUID');
  return `${keyPrefix(projectID, fileID)}${safeName(fileName)}`;
}

export const keyPrefix = (projectID: string, fileID: string): string => `projects/${projectID}/${fileID}/`;

/** Where the scheduled reconciler keeps its cursor: outside `projects/`, so never taken for a file's object. */
export const RECONCILE_CURSOR_KEY = 'reconciler/cursor.json';

export const newFileID = (): string => randomUUID();

/**
 * The fileID of an idempotent upload: a UUID (version 8, RFC 9562 §5.8) from
 * SHA-256 over (caller, projectID, clientToken). A retry lands on the same
 * fileID, hence the same row and key; another caller using the same token
 * gets a different one. JSON keeps the parts unambiguous ("a|b","c" ≠ "a","b|c").
 */
export function idempotentFileID(callerKey: string, projectID: string, clientToken: string): string {
  const bytes = createHash('sha256')
    .update(JSON.stringify(['codecraft-files/uploadFile/v1', callerKey, projectID, clientToken]))
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
