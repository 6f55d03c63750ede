/**
 * The reconciler, run by an EventBridge schedule (infra/constructs/reconciler.ts):
 * removes orphan objects (no row names them) older than the upload ticket's
 * lifetime, a bounded batch per run, going on where the last run stopped;
 * logs what it found, rows without objects included (reported only).
 */
import { readConfig, type Env } from '../core/config';
import { lambdaEntry } from '../core/lambda-entry';
import { ORPHAN_MIN_AGE_SECONDS, RECONCILE_BATCH_SIZE } from '../core/limits';
import { reconcile, type ReconcileDeps, type ReconcileReport } from '../core/reconcile';
import { reconcileStores } from '../core/reconcile-stores';
import { createStorageClients, createStores } from '../core/storage';

function containerDeps(env: Env): ReconcileDeps {
  const config = readConfig(env);
  const clients = createStorageClients(config, env);
  return { ...createStores(config, clients), stores: reconcileStores(clients, config) };
}

export async function handleReconcile(getDeps: () => ReconcileDeps, now = new Date()): Promise<ReconcileReport> {
  // No DynamoDB TTL to stand in for on AWS: expired uploads' rows go by TTL, their objects then become orphans found here.
  const report = await reconcile(getDeps(), {
    apply: true,
    minOrphanAgeSeconds: ORPHAN_MIN_AGE_SECONDS,
    batchSize: RECONCILE_BATCH_SIZE,
    expirePending: false,
    now,
  });
  console.log(JSON.stringify({ reconcile: report }));
  return report;
}

export const { createHandler, handler } = lambdaEntry(containerDeps, (_event: unknown, _context: unknown, getDeps) => handleReconcile(getDeps));
