/**
 * The smoke test's subscriber: onFileUploaded and onFileDeleted of its
 * project over the real-time WebSocket (the CLI's own client), every event
 * kept, so a step can wait for the one its action should have caused.
 */
import { OnFileDeletedDocument, OnFileUploadedDocument } from '../../generated/operations';
import type { Connection } from '../context';
import { CliError } from '../errors';
import { openRealtime, type RealtimeConnection } from '../realtime';

export type EventKind = 'uploaded' | 'deleted';

export interface ProjectEvents {
  /** Resolves when the event for `fileID` has arrived (at once if it already has); rejects after `timeoutMs`. */
  waitFor(kind: EventKind, fileID: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_WAIT_MS = 15_000;

export async function watchProject({ target, auth }: Connection, projectID: string, signal: AbortSignal): Promise<ProjectEvents> {
  const connection: RealtimeConnection = await openRealtime(target, auth, signal);
  const seen = new Set<string>();
  const waiters = new Map<string, () => void>();
  const arrived = (kind: EventKind, fileID: string | undefined) => {
    if (!fileID) return;
    seen.add(`${kind}:${fileID}`);
    waiters.get(`${kind}:${fileID}`)?.();
  };
  try {
    await Promise.all([
      connection.subscribe('uploaded', OnFileUploadedDocument, { projectID }, (data) => arrived('uploaded', data?.onFileUploaded?.fileID)),
      connection.subscribe('deleted', OnFileDeletedDocument, { projectID }, (data) => arrived('deleted', data?.onFileDeleted?.fileID)),
    ]);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return {
    waitFor(kind, fileID, timeoutMs = DEFAULT_WAIT_MS) {
      const key = `${kind}:${fileID}`;
      if (seen.has(key)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(key);
          reject(
            new CliError('NoEvent', `No on${kind === 'uploaded' ? 'FileUploaded' : 'FileDeleted'} event for file ${fileID} within ${timeoutMs / 1000} s.`),
          );
        }, timeoutMs);
        waiters.set(key, () => {
          clearTimeout(timer);
          waiters.delete(key);
          resolve();
        });
        connection.failed.catch((error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    },
    close: () => connection.close(),
  };
}
