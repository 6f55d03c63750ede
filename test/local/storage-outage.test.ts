/**
 * The embedded S3 stopped for a few seconds while uploads go on: the API
 * answers each of them in time, with an errorType, and does not crash;
 * once storage is back uploads succeed again; no row names a missing object.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UploadFileDocument } from '../../generated/operations';
import { startLocalServer, type LocalServer } from '../../local/server';
import { startEmbeddedDynamoDB, type EmbeddedService } from '../../local/storage/embedded-dynamodb';
import { newAccessKeyPair } from '../../local/state';
import { startEmbeddedS3 } from '../../local/storage/embedded-s3';
import { storageClients, type StorageLocation } from '../../local/storage/index';
import { ensureBucket, ensureFileTable } from '../../local/storage/provision';
import { graphqlAs } from '../support/direct-upload';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
/** AppSync gives a resolver 30 s; every answer must come well within it. */
const ANSWER_LIMIT_MS = 15_000;
const credentials = newAccessKeyPair();
const region = 'us-east-1';

let dynamodb: EmbeddedService;
let s3: EmbeddedService;
let s3Directory: string;
let s3Port: number;
let location: StorageLocation;
let server: LocalServer;

beforeAll(async () => {
  s3Directory = await tempDir('outage-s3');
  dynamodb = await startEmbeddedDynamoDB({ credentials, region });
  // A fixed port, to come back on; from the range kept for tests, outside the one the system hands out to connections.
  s3Port = 41_000 + Math.floor(Math.random() * 1000);
  s3 = await startEmbeddedS3({ directory: s3Directory, port: s3Port, credentials });
  location = {
    region,
    dynamodbEndpoint: dynamodb.endpoint,
    s3Endpoint: s3.endpoint,
    tableName: 'FileMetadata',
    bucketName: 'outage-files',
    credentials,
  };
  const clients = storageClients(location);
  await Promise.all([ensureFileTable(clients.dynamodb, location.tableName), ensureBucket(clients.s3, location.bucketName)]);
  clients.dynamodb.destroy();
  clients.s3.destroy();
  server = await startLocalServer({ port: 0, storage: location });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await server?.close();
  await s3?.close();
  await dynamodb?.close();
});

describe('the embedded S3 stopped for a few seconds during uploads', () => {
  it('answers every upload in time with a file or an errorType, recovers when S3 returns, and leaves no row without its object', async () => {
    // The Lambda logs each failure it answers InternalFailure for: expected here, and noise.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const call = graphqlAs(server.graphqlUrl, { 'x-api-key': server.apiKey });
    const upload = async (i: number) => {
      const started = Date.now();
      const { body } = await call(UploadFileDocument, { input: { projectID: 'outage', fileName: `f-${i}.bin`, fileType: 'bin', contentBase64: randomBytes(10_000).toString('base64') } });
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
    await s3.close();
    await sleep(3_000);
    const duringOutage = answers.length;
    s3 = await startEmbeddedS3({ directory: s3Directory, port: s3Port, credentials });
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

    const clients = storageClients(location);
    try {
      const { Items } = await clients.dynamodb.send(new ScanCommand({ TableName: location.tableName, ConsistentRead: true }));
      const rows = (Items ?? []).map((item) => unmarshall(item));
      expect(rows.length).toBe(answers.filter((answer) => answer.ok).length + 2);
      const missing = [];
      for (const row of rows) {
        if (!(await clients.s3.send(new HeadObjectCommand({ Bucket: location.bucketName, Key: row.s3Key })).catch(() => undefined))) missing.push(row.fileID);
      }
      expect(missing).toEqual([]);
    } finally {
      clients.dynamodb.destroy();
      clients.s3.destroy();
    }
  }, 60_000);
});
