import { discard, type ManageDeps } from './complete-upload';

/**
 * Discards uploads never completed whose time is up: their parts or object,
 * then their row. On AWS the table's TTL deletes such rows and the bucket's
 * lifecycle rule aborts their multipart uploads; the local server, where
 * neither runs, calls this on start and on a timer.
 */
export async function expirePendingUploads(deps: ManageDeps, now: Date = new Date()): Promise<number> {
  const expired = await deps.metadata.expiredPending(Math.floor(now.getTime() / 1000));
  let discarded = 0;
  for (const row of expired) if (await discard(row, deps)) discarded += 1;
  return discarded;
}
