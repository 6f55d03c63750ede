/**
 * The clientToken of an upload, derived from the file rather than random, so
 * that running the same command again (after Ctrl-C, a crash, a dropped
 * connection) asks createUploadUrl for the same upload — which answers with the
 * parts storage already holds — instead of starting over. A changed file (size
 * or modification time) is a new upload.
 */
import { createHash } from 'node:crypto';

export interface FileIdentity {
  projectID: string;
  /** Absolute, so `./a.bin` and `/home/me/a.bin` are the same file. */
  absolutePath: string;
  size: number;
  mtimeMs: number;
}

/** `cli1-` and 43 base64url characters: inside the API's 1 to 64 of [A-Za-z0-9_-]. The prefix names this scheme. */
export function resumeToken({ projectID, absolutePath, size, mtimeMs }: FileIdentity): string {
  const digest = createHash('sha256').update(JSON.stringify([projectID, absolutePath, size, Math.trunc(mtimeMs)]));
  return `cli1-${digest.digest('base64url')}`;
}
