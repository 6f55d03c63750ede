/**
 * What a crash of the embedded S3 can leave, and what its start-up
 * recovery makes of it: no deleted object comes back, nothing half-written
 * shows, and the bucket lists.
 */
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newAccessKeyPair } from '../../local/state';
import { startEmbeddedS3 } from '../../local/storage/embedded-s3';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
const Bucket = 'recovery-checks';
const credentials = newAccessKeyPair();

async function withS3<T>(
  directory: string,
  use: (client: S3Client, recovery: { leftoverFiles: number; objectsWithoutMetadata: number }) => Promise<T>,
): Promise<T> {
  const s3 = await startEmbeddedS3({ directory, credentials });
  const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  try {
    return await use(client, s3.recovery);
  } finally {
    client.destroy();
    await s3.close();
  }
}

const keysOf = async (client: S3Client) => ((await client.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((object) => object.Key);

describe('the embedded S3 after a crash', () => {
  it('removes the metadata of objects that never appeared or were being deleted, keeps objects without metadata readable, and lists', async () => {
    const directory = await tempDir('s3-recovery');
    const folder = path.join(directory, Bucket, 'dir');
    await withS3(directory, async (client) => {
      await client.send(new CreateBucketCommand({ Bucket }));
      for (const Key of ['dir/kept.txt', 'dir/deleting.txt', 'dir/plain.txt']) await client.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    });
    // A delete cut short after the object's file went; a write cut short before its object appeared; an object plain s3rver wrote without metadata.
    await rm(path.join(folder, 'deleting.txt._S3rver_object'));
    await writeFile(path.join(folder, 'never.txt._S3rver_metadata.json'), '{}');
    await rm(path.join(folder, 'plain.txt._S3rver_metadata.json'));

    await withS3(directory, async (client, recovery) => {
      expect(recovery).toEqual({ leftoverFiles: 3, objectsWithoutMetadata: 1 });
      expect(await keysOf(client)).toEqual(['dir/kept.txt', 'dir/plain.txt']);
      const plain = await client.send(new GetObjectCommand({ Bucket, Key: 'dir/plain.txt' }));
      expect(await plain.Body!.transformToString()).toBe('dir/plain.txt');
      expect((await readdir(folder)).sort()).toEqual([
        'kept.txt._S3rver_metadata.json',
        'kept.txt._S3rver_object',
        'kept.txt._S3rver_object.md5',
        'plain.txt._S3rver_object',
        'plain.txt._S3rver_object.md5',
      ]);
    });
    await withS3(directory, async (_client, recovery) => expect(recovery).toEqual({ leftoverFiles: 0, objectsWithoutMetadata: 1 }));
  });

  it('deletes an object’s file before its metadata: a delete cut short never leaves the object without its metadata', async () => {
    const directory = await tempDir('s3-delete-order');
    const folder = path.join(directory, Bucket);
    await withS3(directory, async (client) => {
      await client.send(new CreateBucketCommand({ Bucket }));
      await client.send(new PutObjectCommand({ Bucket, Key: 'stuck.txt', Body: 'stuck', ContentType: 'text/plain' }));
      // The object's file cannot be removed (a folder with a file in it in its place): the delete stops there, as a crash would.
      await rm(path.join(folder, 'stuck.txt._S3rver_object'));
      await mkdir(path.join(folder, 'stuck.txt._S3rver_object'));
      await writeFile(path.join(folder, 'stuck.txt._S3rver_object', 'inside'), '');
      await expect(client.send(new DeleteObjectCommand({ Bucket, Key: 'stuck.txt' }))).rejects.toThrow();

      expect((await readdir(folder)).filter((name) => name.startsWith('stuck.txt')).sort()).toEqual([
        'stuck.txt._S3rver_metadata.json',
        'stuck.txt._S3rver_object',
        'stuck.txt._S3rver_object.md5',
      ]);
    });
  });
});
