/**
 * `npm start`'s check of its data: what a crash can leave in the embedded
 * stores is repaired before the API serves. dynalite's indexes and s3rver's
 * files were checked as the stores opened (StorageRecovery); here the files
 * are reconciled with their rows (functions/core/reconcile.ts): orphan
 * objects removed, uploads past their expiry discarded. No upload can be
 * under way yet (the Lambdas run in this process, which is only starting),
 * so an orphan of any age is one.
 */
import { reconcile, type ReconcileDeps, type ReconcileReport } from '../functions/core/reconcile';
import type { StorageRecovery } from './storage/index';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** What the check found and did: one line when all is clean. */
export function describeCheck(recovery: StorageRecovery, report: ReconcileReport): string[] {
  const repaired = [
    recovery.indexes.phantomEntries && `${plural(recovery.indexes.phantomEntries, 'index entry', 'index entries')} with no row removed`,
    recovery.indexes.missingEntries && `${plural(recovery.indexes.missingEntries, 'missing index entry', 'missing index entries')} restored`,
    recovery.objects.leftoverFiles && `${plural(recovery.objects.leftoverFiles, 'metadata file')} with no object removed`,
    report.orphanObjects.length && `${plural(report.orphanObjects.length, 'object')} with no file row removed`,
    report.expiredUploads && `${plural(report.expiredUploads, 'unfinished upload')} past expiry discarded`,
  ].filter(Boolean);
  const noticed = [
    recovery.objects.objectsWithoutMetadata &&
      `${plural(recovery.objects.objectsWithoutMetadata, 'object')} without metadata kept (served as binary/octet-stream)`,
    report.rowsWithoutObjects.length &&
      `${plural(report.rowsWithoutObjects.length, 'file row')} whose object is missing, left for you to look at: ${report.rowsWithoutObjects.join(', ')}`,
  ].filter(Boolean);
  const checked = `${plural(report.examinedObjects, 'object')} and ${plural(report.examinedRows, 'row')} checked`;
  if (!repaired.length && !noticed.length) return [`[check] storage is consistent: ${checked}, nothing to repair`];
  return [...(repaired.length ? [`[check] repaired what a crash left: ${repaired.join('; ')} (${checked})`] : []), ...noticed.map((line) => `[check] ${line}`)];
}

export async function checkDataOnStart(deps: ReconcileDeps, recovery: StorageRecovery): Promise<string[]> {
  const report = await reconcile(deps, { apply: true, minOrphanAgeSeconds: 0, expirePending: true });
  return describeCheck(recovery, report);
}
