import { describe, expect, it } from 'vitest';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startEmbeddedS3 } from '../../local/storage/embedded-s3';
import { newAccessKeyPair } from '../../local/state';

const CREDENTIALS = newAccessKeyPair();
import type { EmbeddedService } from '../../local/storage/embedded-dynamodb';

let s3: EmbeddedService;
let client: S3Client;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'codecraft-s3-hardening-'));
  s3 = await startEmbeddedS3({ directory: path.join(dataDir, 's3'), credentials: CREDENTIALS });
  client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  await client.send(new CreateBucketCommand({ Bucket: 'auth-bucket' }));
});
afterAll(async () => {
  client.destroy();
  await s3.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the embedded S3 authorization header', () => {
  it.each(['aws4-hmac-sha256', 'AWS4-HMAC-SHA1', 'Bearer'])('refuses an unverifiable "%s …" header, and stores nothing', async (algorithm) => {
    const forged = `${algorithm} Credential=S3RVER/20260101/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=00`;

    const put = await fetch(`${s3.endpoint}/auth-bucket/forged.txt`, { method: 'PUT', headers: { authorization: forged }, body: 'forged' });

    expect(put.status).toBe(400);
    expect(await put.text()).toContain('<Code>InvalidArgument</Code>');
    await expect(client.send(new HeadObjectCommand({ Bucket: 'auth-bucket', Key: 'forged.txt' }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});

describe('the embedded S3 keys', () => {
  it.each(['a/../../../escaped', '../escaped', 'a/./b', 'x/._S3rver_segments/y'])(
    'refuses the key "%s", which a file system would resolve elsewhere, and writes nothing',
    async (key) => {
      await expect(client.send(new PutObjectCommand({ Bucket: 'auth-bucket', Key: key, Body: 'x' }))).rejects.toMatchObject({ name: 'InvalidArgument' });
      expect(existsSync(path.join(dataDir, 'escaped._S3rver_object'))).toBe(false);
      expect(existsSync(path.join(dataDir, 's3', 'escaped._S3rver_object'))).toBe(false);
    },
  );
});
