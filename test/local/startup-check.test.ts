/**
 * The start-up check of `npm start`'s data: what a crash can leave (and an
 * unpatched dynalite or plain s3rver could) is found, repaired and
 * reported; an object a row points to is never deleted.
 */
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as dynaliteDb from 'dynalite/db/index.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalServer, type LocalServer } from '../../local/server';
import { storageClients } from '../../local/storage/index';
import { fileRow, seedRows } from '../support/file-rows';
import { postGraphQL } from '../support/local-server';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
afterEach(() => vi.restoreAllMocks());

async function withServer<T>(dataDir: string, use: (server: LocalServer, clients: ReturnType<typeof storageClients>) => Promise<T>): Promise<T> {
  const server = await startLocalServer({ port: 0, dataDir });
  const clients = storageClients(server.storage);
  try {
    return await use(server, clients);
  } finally {
    clients.s3.destroy();
    clients.dynamodb.destroy();
    await server.close();
  }
}

/** Deletes, straight from dynalite's LevelDB, the item (or the index entries) of `fileID`: what an unpatched dynalite's crash could leave. */
async function dropFromLevelDb(dataDir: string, fileID: string, what: 'item' | 'index'): Promise<void> {
  const store = dynaliteDb.create({ path: path.join(dataDir, 'dynamodb') });
  const prefix = what === 'item' ? 'item-' : 'index-';
  const keys: string[] = [];
  for await (const [key, value] of store.db.iterator({ gte: prefix, lt: `${prefix}\xff` })) {
    if ((value as { fileID?: { S?: string } }).fileID?.S === fileID) keys.push(key);
  }
  expect(keys).toHaveLength(1);
  await promisify(store.db.batch.bind(store.db))(keys.map((key) => ({ type: 'del' as const, key })));
  await promisify(store.db.close.bind(store.db))();
}

describe('npm start checks its data on start', () => {
  it('removes phantom index entries, orphan objects and stray metadata, restores missing index entries, discards expired uploads, keeps every object a row names', async () => {
    const dataDir = await tempDir('startup-check');
    const project = 'check';
    const now = Date.now();
    const rows = {
      kept: fileRow(project, new Date(now - 3000).toISOString()),
      phantom: fileRow(project, new Date(now - 2000).toISOString()),
      unindexed: fileRow(project, new Date(now - 1000).toISOString()),
    };
    const pending = (expiresAt: number) => {
      const { uploadedAt: _none, ...row } = fileRow(project, '');
      return { ...row, status: 'PENDING', createdAt: new Date(now).toISOString(), expiresAt, uploaderKey: 'alice' };
    };
    const inProgress = pending(Math.floor(now / 1000) + 3600);
    const expired = pending(Math.floor(now / 1000) - 60);
    const orphanKey = `projects/${project}/00000000-0000-4000-8000-000000000000/orphan.txt`;

    const bucket = await withServer(dataDir, async (server, clients) => {
      await seedRows({ storage: { ...server.storage, close: async () => {} }, clients }, [...Object.values(rows), inProgress, expired]);
      for (const Key of [...[...Object.values(rows), inProgress, expired].map((row) => row.s3Key), orphanKey]) {
        await clients.s3.send(new PutObjectCommand({ Bucket: server.storage.bucketName, Key, Body: 'bytes' }));
      }
      return server.storage.bucketName;
    });
    await dropFromLevelDb(dataDir, rows.phantom.fileID, 'item');
    await dropFromLevelDb(dataDir, rows.unindexed.fileID, 'index');
    await writeFile(path.join(dataDir, 's3', bucket, 'projects', project, 'never.txt._S3rver_metadata.json'), '{}');

    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await withServer(dataDir, async (server, clients) => {
      expect(log.mock.calls.map(([line]) => line).filter((line) => String(line).startsWith('[check]'))).toEqual([
        '[check] repaired what a crash left: 1 index entry with no row removed; 1 missing index entry restored; 1 metadata file with no object removed; ' +
          '2 objects with no file row removed; 1 unfinished upload past expiry discarded (5 objects and 3 rows checked)',
      ]);
      const listed = await postGraphQL(
        server.graphqlUrl,
        { query: `{ filesByProject(projectID: "${project}") { items { fileID } } }` },
        { 'x-api-key': server.apiKey },
      );
      expect(listed.body.data.filesByProject.items).toEqual([{ fileID: rows.unindexed.fileID }, { fileID: rows.kept.fileID }]);
      const { Contents } = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect((Contents ?? []).map((object) => object.Key).sort()).toEqual([rows.kept.s3Key, rows.unindexed.s3Key, inProgress.s3Key].sort());
      await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: inProgress.s3Key }));
    });

    log.mockClear();
    await withServer(dataDir, async () => {
      expect(log.mock.calls.map(([line]) => line).filter((line) => String(line).startsWith('[check]'))).toEqual([
        '[check] storage is consistent: 3 objects and 3 rows checked, nothing to repair',
      ]);
    });
  });
});
