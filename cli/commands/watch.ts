/**
 * `files watch --project P`: onFileUploaded and onFileDeleted over the
 * real-time WebSocket, one line per event on stdout until Ctrl-C (which ends
 * it normally: exit 0). Status goes to stderr, so stdout is only events.
 */
import { OnFileDeletedDocument, OnFileUploadedDocument } from '../../generated/operations';
import { connect, type ConnectionOptions, type Context } from '../context';
import { formatBytes, formatTime } from '../format';
import { openRealtime } from '../realtime';

export interface WatchOptions extends ConnectionOptions {
  project: string;
}

export async function watchCommand(options: WatchOptions, context: Context): Promise<void> {
  const { target, auth } = await connect(options, context);
  // Ctrl-C is how a watch ends, whenever it comes: while connecting, subscribing or watching.
  const stopped = new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const connection = await openRealtime(target, auth, context.signal).catch((error) => {
    if (context.signal.aborted) return undefined;
    throw error;
  });
  if (!connection) return;
  const now = () => formatTime(new Date().toISOString());
  const print = (line: string) => context.stdout.write(`${line}\n`);
  try {
    const variables = { projectID: options.project };
    const subscribed = Promise.all([
      connection.subscribe('uploaded', OnFileUploadedDocument, variables, (data) => {
        const f = data?.onFileUploaded;
        if (f) print(`${now()}  uploaded  ${f.fileName}  ${formatBytes(f.size)}  ${f.fileType}  by ${f.uploadedBy}  ${f.fileID}`);
      }),
      connection.subscribe('deleted', OnFileDeletedDocument, variables, (data) => {
        const f = data?.onFileDeleted;
        if (f) print(`${now()}  deleted   ${f.fileName}  ${f.fileID}`);
      }),
    ]);
    const watching = subscribed.then(() => 'watching' as const);
    // Stopped before both start_acks: a refusal arriving afterwards has no one left to tell.
    watching.catch(() => {});
    if ((await Promise.race([watching, stopped])) !== 'watching') return;
    context.stderr.write(`Watching project ${options.project} for uploads and deletions as ${auth.describe} (Ctrl-C stops).\n`);
    await Promise.race([stopped, connection.failed]);
  } finally {
    await connection.close();
  }
}
