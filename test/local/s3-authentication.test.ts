import { describe, expect, it } from 'vitest';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { startEmbeddedS3 } from '../../local/storage/embedded-s3';
import type { EmbeddedService } from '../../local/storage/embedded-dynamodb';

let s3: EmbeddedService;
let client: S3Client;
beforeAll(async () => {
  s3 = await startEmbeddedS3();
  client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await client.send(new CreateBucketCommand({ Bucket: 'auth-bucket' }));
});
afterAll(async () => {
  client.destroy();
  await s3.close();
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
