/**
 * Reconciliation (functions/core/reconcile.ts) and the scheduled Lambda's
 * handler, against real dynalite and s3rver through the SDK: orphans are
 * found and removed once old enough, an object a row names never is, rows
 * without objects are reported, a bounded run goes on where the last stopped.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../functions/core/config';
import { ORPHAN_MIN_AGE_SECONDS, RECONCILE_BATCH_SIZE } from '../../functions/core/limits';
import { reconcile, type ReconcileDeps } from '../../functions/core/reconcile';
import { reconcileStores } from '../../functions/core/reconcile-stores';
import { RECONCILE_CURSOR_KEY } from '../../functions/core/keys';
import { createStores } from '../../functions/core/storage';
import { handleReconcile } from '../../functions/reconcile/index';
import { fileRow, seedRows } from '../support/file-rows';
import { afterCommand, beforeCommand } from '../support/inject';
import { useEmbeddedStorage } from '../support/storage';
import { storageClients } from '../../local/storage/index';
import { objectKeys, readObject } from './factories';

const storage = useEmbeddedStorage();
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

function deps(clients = storage.clients): ReconcileDeps {
  const config = readConfig({}, { filesTable: storage.storage.tableName, filesBucket: storage.storage.bucketName, s3ForcePathStyle: true });
  return { ...createStores(config, clients), stores: reconcileStores(clients, config) };
}

const put = (Key: string, Body = 'bytes') => storage.clients.s3.send(new PutObjectCommand({ Bucket: storage.storage.bucketName, Key, Body }));
const orphanKey = (project: string) => `projects/${project}/${randomUUID()}/orphan.bin`;

describe('reconcile', () => {
  it('reports (dry run), then removes orphans old enough, never an object a row names, and reports rows without objects', async () => {
    const project = 'rec';
    const available = fileRow(project, new Date().toISOString());
    const { uploadedAt: _none, ...pendingBase } = fileRow(project, '');
    const pending = {
      ...pendingBase,
      status: 'PENDING',
      createdAt: new Date().toISOString(),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      uploaderKey: 'alice',
    };
    const bytesLost = fileRow(project, new Date().toISOString());
    // A retry of the same upload under another name: same fileID, another key, which its row does not name.
    const otherName = `projects/${project}/${available.fileID}/other-name.bin`;
    const orphan = orphanKey(project);
    await seedRows(storage, [available, pending, bytesLost]);
    for (const key of [available.s3Key, pending.s3Key, otherName, orphan, 'reconciler/cursor.json']) await put(key);

    const young = await reconcile(deps(), { apply: true, minOrphanAgeSeconds: ORPHAN_MIN_AGE_SECONDS, expirePending: false });
    expect(young).toMatchObject({ orphanObjects: [], examinedObjects: 4, rowsWithoutObjects: [bytesLost.fileID], complete: true });

    const options = { minOrphanAgeSeconds: ORPHAN_MIN_AGE_SECONDS, expirePending: true, now: later(ORPHAN_MIN_AGE_SECONDS + 60) };
    const dryRun = await reconcile(deps(), { ...options, apply: false });
    expect(dryRun).toEqual({
      applied: false,
      expiredUploads: 0,
      examinedObjects: 4,
      orphanObjects: [otherName, orphan].sort(),
      examinedRows: 3,
      rowsWithoutObjects: [bytesLost.fileID],
      complete: true,
    });
    expect(await objectKeys(storage, 'projects/')).toHaveLength(4);

    const applied = await reconcile(deps(), { ...options, apply: true });
    expect(applied).toEqual({ ...dryRun, applied: true });
    expect((await objectKeys(storage, 'projects/')).sort()).toEqual([available.s3Key, pending.s3Key].sort());
    expect(await objectKeys(storage, 'reconciler/')).toEqual(['reconciler/cursor.json']);
  });

  it('examines a bounded batch per run, going on where the last run stopped, until every orphan is gone', async () => {
    const orphans = Array.from({ length: 5 }, () => orphanKey('bounded'));
    for (const key of orphans) await put(key);
    const before = await objectKeys(storage, 'projects/');

    // 7 objects: 2 named by rows, 5 orphans. The fourth run starts over and finds the 2 left.
    const runs = [];
    for (let run = 0; run < 4; run++) {
      runs.push(await reconcile(deps(), { apply: true, minOrphanAgeSeconds: 0, batchSize: 3, expirePending: false, now: later(1) }));
    }

    expect(runs.map((report) => report.examinedObjects)).toEqual([3, 3, 1, 2]);
    expect(runs.flatMap((report) => report.orphanObjects).sort()).toEqual(orphans.sort());
    expect((await objectKeys(storage, 'projects/')).sort()).toEqual(before.filter((key) => !orphans.includes(key)).sort());
  });

  it('runs as the scheduled Lambda: a batch of RECONCILE_BATCH_SIZE, orphans older than ORPHAN_MIN_AGE_SECONDS, its report logged', async () => {
    const orphan = orphanKey('lambda');
    await put(orphan);

    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect((await handleReconcile(deps)).orphanObjects).toEqual([]);
    const report = await handleReconcile(deps, later(ORPHAN_MIN_AGE_SECONDS + 1));
    expect(logged).toHaveBeenLastCalledWith(JSON.stringify({ reconcile: report }));
    logged.mockRestore();

    expect(report.orphanObjects).toEqual([orphan]);
    expect(report.examinedObjects).toBeLessThanOrEqual(RECONCILE_BATCH_SIZE);
    expect(await objectKeys(storage, 'projects/lambda/')).toEqual([]);
  });

  it('reads a table cursor saved as DynamoDB JSON, as runs before plain items wrote it, as no cursor instead of failing every run', async () => {
    const { stores } = deps();
    const row = fileRow('cursor-format', new Date().toISOString());
    await seedRows(storage, [row]);

    const fromStart = await stores.scanRows(undefined, 1000);
    const fromOldCursor = await stores.scanRows(JSON.stringify({ fileID: { S: row.fileID } }), 1000);

    expect(fromOldCursor.rows.map((r) => r.fileID).sort()).toEqual(fromStart.rows.map((r) => r.fileID).sort());
    expect(fromStart.rows.map((r) => r.fileID)).toContain(row.fileID);
  });

  it('starts from the beginning when reading the cursor is refused 403, as S3 answers a missing key to a role that may not list it', async () => {
    // AWS mocked here only: S3's answer to a role without s3:ListBucket for reconciler/ (infra/constructs/storage.ts grantReconcile).
    const clients = storageClients(storage.storage);
    const cursorReads = beforeCommand(clients.s3, 'GetObjectCommand', (input) => {
      if (input.Key !== RECONCILE_CURSOR_KEY) return;
      throw new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
    });
    const orphan = orphanKey('denied');
    await put(orphan);
    await storage.clients.s3.send(new DeleteObjectCommand({ Bucket: storage.storage.bucketName, Key: RECONCILE_CURSOR_KEY }));

    vi.spyOn(console, 'log').mockImplementation(() => {});
    const report = await handleReconcile(() => deps(clients), later(ORPHAN_MIN_AGE_SECONDS + 1));
    vi.mocked(console.log).mockRestore();
    clients.s3.destroy();
    clients.dynamodb.destroy();

    expect(cursorReads.filter((input) => input.Key === RECONCILE_CURSOR_KEY)).toHaveLength(1);
    expect(report).toMatchObject({ orphanObjects: [orphan], complete: true });
    // The run wrote its cursor (at the end of the bucket: nothing to go on from), which later runs read.
    const cursor = await storage.clients.s3.send(new GetObjectCommand({ Bucket: storage.storage.bucketName, Key: RECONCILE_CURSOR_KEY }));
    expect(JSON.parse(await cursor.Body!.transformToString())).toEqual({});
  });

  describe('never deletes an object whose key was written again after it was listed', () => {
    // The key an expired upload left is reused by a retry with the same clientToken: a PENDING row first, then the presigned PUT.
    async function reuseRace(hook: (clients: ReturnType<typeof storageClients>, rewrite: () => Promise<void>) => void) {
      const row = fileRow('race', '', { status: 'PENDING' });
      await put(row.s3Key);
      const clients = storageClients(storage.storage);
      let rewritten = false;
      hook(clients, async () => {
        if (rewritten) return;
        rewritten = true;
        await seedRows(storage, [row]);
        await put(row.s3Key, 'bytes of the retried upload');
      });
      const report = await reconcile(deps(clients), { apply: true, minOrphanAgeSeconds: 0, expirePending: false, now: later(1) });
      clients.s3.destroy();
      clients.dynamodb.destroy();
      expect(rewritten).toBe(true);
      expect(report.orphanObjects).not.toContain(row.s3Key);
      expect((await readObject(storage, row.s3Key)).bytes.toString()).toBe('bytes of the retried upload');
    }

    it('when the row appears after the batch of rows was read', () =>
      reuseRace((clients, rewrite) => afterCommand(clients.dynamodb, 'BatchGetItemCommand', rewrite)));

    it('when the row appears after the re-check of the row, and the bytes before the delete', () =>
      reuseRace((clients, rewrite) => beforeCommand(clients.s3, 'HeadObjectCommand', rewrite)));
  });
});
