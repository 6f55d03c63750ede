import type { ManageDeps } from './complete-upload';
import { expirePendingUploads } from './expire-uploads';
import type { ListedObject, ObjectVersion, ReconcileCursor, ReconcileStores } from './reconcile-stores';

/**
 * Reconciliation: what a crash between two writes can leave, found and
 * (when applied) removed. The upload flows write the object first and the
 * row after, and delete the row first and the object after, so a crash
 * leaves an object no row names: an orphan, which costs money forever. An
 * object a row names is never touched, whatever the row's status. Rows
 * whose object is missing cannot come from a crash; they are reported for
 * a person to look at, not deleted. The local server runs this at start-up;
 * on AWS a scheduled Lambda runs it (functions/reconcile); `npm run
 * reconcile` runs it against either.
 */

export interface ReconcileOptions {
  /** Remove what is found; otherwise only report it. */
  apply: boolean;
  /** Objects younger than this are left alone: their upload may be about to write the row. */
  minOrphanAgeSeconds: number;
  /** At most this many objects, and as many rows, examined per run, going on from where the last run stopped; all of them when absent. */
  batchSize?: number;
  /** Also discard uploads never completed past their expiry (where no DynamoDB TTL runs: locally). */
  expirePending: boolean;
  now?: Date;
}

export interface ReconcileReport {
  applied: boolean;
  /** Uploads never completed past their expiry (discarded when applied). */
  expiredUploads: number;
  examinedObjects: number;
  /** Keys of objects no row names (removed when applied). */
  orphanObjects: string[];
  examinedRows: number;
  /** fileIDs of available files whose object is missing (reported only). */
  rowsWithoutObjects: string[];
  /** Whether this run reached the end of the bucket and the table (a bounded run may not). */
  complete: boolean;
}

export interface ReconcileDeps extends ManageDeps {
  stores: ReconcileStores;
}

const FILE_KEY = /^projects\/[^/]+\/([0-9a-f-]{36})\//;
/** The fileID a file's object key carries (keys.ts: projects/{projectID}/{fileID}/{name}); undefined for keys that are not a file's. */
export const fileIDOfKey = (key: string): string | undefined => FILE_KEY.exec(key)?.[1];

/** Rows per Scan page: small enough to stop near a bound. */
const SCAN_PAGE_ROWS = 1_000;

/** HeadObject calls at a time when checking rows' objects. */
const PARALLEL_HEADS = 16;

/** DynamoDB's BatchGetItem takes 100 keys at most. */
const ROWS_PER_BATCH = 100;

export async function reconcile(deps: ReconcileDeps, options: ReconcileOptions): Promise<ReconcileReport> {
  const now = options.now ?? new Date();
  const bounded = options.batchSize !== undefined;
  const cursor: ReconcileCursor = bounded ? await deps.stores.readCursor() : {};
  const expiredUploads = !options.expirePending
    ? 0
    : options.apply
      ? await expirePendingUploads(deps, now)
      : (await deps.metadata.expiredPending(Math.floor(now.getTime() / 1000))).length;
  const objects = await examineObjects(deps, options, now, cursor.objectsAfter);
  const rows = await examineRows(deps, options.batchSize, cursor.rowsAfter);
  if (bounded && options.apply) await deps.stores.writeCursor({ objectsAfter: objects.next, rowsAfter: rows.next });
  return {
    applied: options.apply,
    expiredUploads,
    examinedObjects: objects.examined,
    orphanObjects: objects.orphans,
    examinedRows: rows.examined,
    rowsWithoutObjects: rows.missing,
    complete: objects.next === undefined && rows.next === undefined,
  };
}

/** The file objects after `after`, `limit` at most: the orphans among them (removed when applied), and the last key examined unless the end was reached. */
async function examineObjects(deps: ReconcileDeps, options: ReconcileOptions, now: Date, after: string | undefined) {
  const limit = options.batchSize ?? Infinity;
  const oldest = now.getTime() - options.minOrphanAgeSeconds * 1000;
  const orphans: string[] = [];
  let examined = 0;
  let startAfter = after;
  for (;;) {
    const page = await deps.stores.listObjects('projects/', startAfter);
    const taken = page.objects.slice(0, limit - examined);
    for (let i = 0; i < taken.length; i += ROWS_PER_BATCH) {
      // Each batch removed as soon as found: the longer a found orphan waits, the likelier its key is written again.
      const found = await orphansAmong(deps, taken.slice(i, i + ROWS_PER_BATCH), oldest);
      orphans.push(...(options.apply ? await removedOrphans(deps, found) : found).map((object) => object.key));
    }
    examined += taken.length;
    startAfter = taken.at(-1)?.key ?? startAfter;
    const more = page.more || taken.length < page.objects.length;
    if (!more) return { examined, orphans, next: undefined };
    if (examined >= limit) return { examined, orphans, next: startAfter };
  }
}

async function orphansAmong(deps: ReconcileDeps, objects: ListedObject[], oldest: number): Promise<ListedObject[]> {
  const candidates = objects.filter((object) => object.lastModified.getTime() <= oldest && fileIDOfKey(object.key));
  if (!candidates.length) return [];
  const rows = await deps.stores.rowsOf([...new Set(candidates.map((object) => fileIDOfKey(object.key)!))]);
  return candidates.filter((object) => !namedBy(rows, object.key));
}

const namedBy = (rows: Map<string, { s3Key: string }>, key: string) => rows.get(fileIDOfKey(key)!)?.s3Key === key;

/**
 * The orphans still orphans when each is deleted, deleted. A key can be
 * written again after it was listed — an upload retried with the same
 * clientToken after its expired row went gets the same key, a row, and then
 * new bytes — so each is checked just before its delete: no row names it
 * (read consistently) and the object is still the write that was listed.
 */
async function removedOrphans(deps: ReconcileDeps, orphans: ListedObject[]): Promise<ListedObject[]> {
  const removed: ListedObject[] = [];
  for (const orphan of orphans) {
    if (namedBy(await deps.stores.rowsOf([fileIDOfKey(orphan.key)!]), orphan.key)) continue;
    const now = await deps.stores.objectVersion(orphan.key);
    if (!now || !sameWrite(now, orphan)) continue;
    await deps.objects.delete(orphan.key);
    removed.push(orphan);
  }
  return removed;
}

/** A listing may give LastModified to the millisecond (s3rver does), a HEAD gives it to the second (an HTTP date). */
const sameWrite = (a: ObjectVersion, b: ObjectVersion) =>
  a.etag === b.etag && Math.floor(a.lastModified.getTime() / 1000) === Math.floor(b.lastModified.getTime() / 1000);

/** The rows after `after`, `limit` at most: the available files among them whose object is missing. */
async function examineRows(deps: ReconcileDeps, limit = Infinity, after: string | undefined) {
  const missing: string[] = [];
  let examined = 0;
  let next = after;
  do {
    const page = await deps.stores.scanRows(next, Math.min(SCAN_PAGE_ROWS, limit - examined));
    const available = page.rows.filter((row) => row.status === 'AVAILABLE');
    for (let i = 0; i < available.length; i += PARALLEL_HEADS) {
      const chunk = available.slice(i, i + PARALLEL_HEADS);
      const found = await Promise.all(chunk.map((row) => deps.transfers.head(row.s3Key)));
      chunk.forEach((row, j) => found[j] || missing.push(row.fileID));
    }
    examined += page.rows.length;
    next = page.next;
  } while (next && examined < limit);
  return { examined, missing, next };
}
