/**
 * The embedded S3 stopped for a few seconds while uploads go on: the API
 * answers each of them in time, with an errorType, and does not crash;
 * once storage is back uploads succeed again; no row names a missing object.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UploadFileDocument } from '../../generated/operations';
import { documentClient } from '../../functions/core/storage';
import { startLocalServer, type LocalServer } from '../../local/server';
import { graphqlAs } from '../support/direct-upload';
import { startStoppableStorage, type StoppableStorage } from '../support/stoppable-storage';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
/** AppSync gives a resolver 30 s; every answer must come well within it. */
const ANSWER_LIMIT_MS = 15_000;

let storage: StoppableStorage;
let server: LocalServer;

beforeAll(async () => {
  storage = await startStoppableStorage(await tempDir('outage-s3'), 'outage-files');
  server = await startLocalServer({ port: 0, storage: storage.location });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await server?.close();
  await storage?.close();
});

describe('the embedded S3 stopped for a few seconds during uploads', () => {
  it('answers every upload in time with a file or an errorType, recovers when S3 returns, and leaves no row without its object', async () => {
    // The Lambda logs each failure it answers InternalFailure for: expected here, and noise.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const call = graphqlAs(server.graphqlUrl, { 'x-api-key': server.apiKey });
    const upload = async (i: number) => {
      const started = Date.now();
      const { body } = await call(UploadFileDocument, {
        input: { projectID: 'outage', fileName: `f-${i}.bin`, fileType: 'bin', contentBase64: randomBytes(10_000).toString('base64') },
      });
      return { ok: Boolean(body.data?.uploadFile), errorType: body.errors?.[0]?.errorType as string | undefined, ms: Date.now() - started };
    };
    // Warm: the Lambdas load at their first call.
    expect((await upload(-2)).ok).toBe(true);
    const answers: Awaited<ReturnType<typeof upload>>[] = [];
    let stop = false;
    let next = 0;
    const uploading = Promise.all(
      Array.from({ length: 5 }, async () => {
        while (!stop) {
          const answer = await upload(next++);
          answers.push(answer);
          // As a client would, it waits a little before its next try after a refusal.
          if (!answer.ok) await sleep(200);
        }
      }),
    );

    await expect.poll(() => answers.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(10);
    const beforeOutage = answers.length;
    await storage.stopS3();
    await sleep(3_000);
    const duringOutage = answers.length;
    await storage.restartS3();
    await sleep(1_500);
    stop = true;
    await uploading;

    const failed = answers.filter((answer) => !answer.ok);
    expect(answers.slice(0, beforeOutage).every((answer) => answer.ok)).toBe(true);
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((answer) => answer.errorType))).toEqual(new Set(['InternalFailure']));
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(ANSWER_LIMIT_MS);
    expect(answers.slice(duringOutage).some((answer) => answer.ok)).toBe(true);
    expect((await upload(-1)).ok).toBe(true);

    const { clients, storage: location } = storage.fixture;
    const { Items: rows = [] } = await documentClient(clients.dynamodb).send(new ScanCommand({ TableName: location.tableName, ConsistentRead: true }));
    expect(rows.length).toBe(answers.filter((answer) => answer.ok).length + 2);
    const missing = [];
    for (const row of rows) {
      if (!(await clients.s3.send(new HeadObjectCommand({ Bucket: location.bucketName, Key: row.s3Key })).catch(() => undefined))) missing.push(row.fileID);
    }
    expect(missing).toEqual([]);
  }, 60_000);
});
