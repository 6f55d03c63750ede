/**
 * ListObjectsV2 past one page on the embedded S3 (s3rver, through the real
 * SDK): s3rver made its continuation tokens with DES, which OpenSSL 3 does
 * not offer, so every truncated listing answered 500 InternalError — and the
 * start-up check and the reconciler stopped working past 1,000 objects.
 * patches/s3rver+3.7.1.patch makes them with AES.
 */
import { ListObjectsV2Command, PutObjectCommand, S3ServiceException, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { useEmbeddedStorage } from '../support/storage';

const storage = useEmbeddedStorage();
const OBJECTS = 1_001;
const keyOf = (i: number) => `projects/paging/${String(i).padStart(4, '0')}.bin`;

async function listAll(MaxKeys?: number) {
  const keys: string[] = [];
  let pages = 0;
  for await (const page of paginateListObjectsV2({ client: storage.clients.s3 }, { Bucket: storage.storage.bucketName, Prefix: 'projects/paging/', MaxKeys })) {
    pages++;
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
  }
  return { keys, pages };
}

describe('ListObjectsV2 paging on the embedded S3', () => {
  it('lists more than 1,000 objects page by page with continuation tokens', async () => {
    const Bucket = storage.storage.bucketName;
    for (let i = 0; i < OBJECTS; i += 50) {
      const batch = Array.from({ length: Math.min(50, OBJECTS - i) }, (_, j) => keyOf(i + j));
      await Promise.all(batch.map((Key) => storage.clients.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }))));
    }
    const expected = Array.from({ length: OBJECTS }, (_, i) => keyOf(i));

    expect(await listAll()).toEqual({ keys: expected, pages: 2 });
    expect(await listAll(400)).toEqual({ keys: expected, pages: 3 });
  });

  it('refuses a continuation token it did not make as InvalidArgument, not a 500', async () => {
    const answer = storage.clients.s3.send(
      new ListObjectsV2Command({ Bucket: storage.storage.bucketName, ContinuationToken: Buffer.alloc(40, 7).toString('base64') }),
    );
    const error = await answer.catch((caught: S3ServiceException) => caught);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect({ name: (error as S3ServiceException).name, status: (error as S3ServiceException).$metadata.httpStatusCode }).toEqual({
      name: 'InvalidArgument',
      status: 400,
    });
  });
});
