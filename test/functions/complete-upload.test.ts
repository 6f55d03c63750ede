/**
 * completeUpload and abortUpload against real dynalite and s3rver, with the
 * interleavings a retry or a concurrent call produces injected as middleware
 * on the real SDK clients.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CompleteMultipartUploadCommand, HeadObjectCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { uploaderFrom } from '../../functions/core/uploader';
import { abortUpload, completeUpload, type Actor } from '../../functions/core/complete-upload';
import { readConfig } from '../../functions/core/config';
import { createUpload } from '../../functions/core/create-upload';
import { createStores, type StorageClients } from '../../functions/core/storage';
import { storageClients } from '../../local/storage/index';
import { bytesOf, putBytes, putParts, sha256Hex, ticketInput } from '../support/direct-upload';
import { userPoolCaller } from '../support/identities';
import { beforeCommand } from '../support/inject';
import { useEmbeddedStorage } from '../support/storage';

const storage = useEmbeddedStorage();
const alice: Actor = { caller: uploaderFrom(userPoolCaller('alice', ['project-p'])), isAdmin: false };
const MiB = 1024 * 1024;

const opened: StorageClients[] = [];
afterEach(() => opened.splice(0).forEach((c) => (c.s3.destroy(), c.dynamodb.destroy())));

function realStores() {
  const clients = storageClients(storage.storage);
  opened.push(clients);
  const config = readConfig({}, { filesTable: storage.storage.tableName, filesBucket: storage.storage.bucketName, s3ForcePathStyle: true });
  return { clients, deps: createStores(config, clients) };
}

const headOf = (clients: StorageClients, key: string) =>
  clients.s3.send(new HeadObjectCommand({ Bucket: storage.storage.bucketName, Key: key })).then(
    (head) => head.ContentLength,
    () => undefined,
  );

describe('completeUpload after storage already assembled the object', () => {
  it('records the file when an earlier attempt completed the multipart upload but not the row (a timeout, a retry)', async () => {
    const { clients, deps } = realStores();
    const bytes = bytesOf(33 * MiB, 11);
    const ticket = await createUpload(ticketInput(bytes, { projectID: 'p', fileName: 'big.bin', partSize: 5 * MiB }), alice.caller, deps);
    const parts = await putParts(ticket, bytes);
    const row = await deps.metadata.get(ticket.fileID);
    if (row?.status !== 'PENDING') throw new Error('expected a PENDING row');
    const listed = await clients.s3.send(new ListPartsCommand({ Bucket: storage.storage.bucketName, Key: row.s3Key, UploadId: row.uploadId }));
    // What the first attempt's CompleteMultipartUpload did before the Lambda died.
    await clients.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: storage.storage.bucketName,
        Key: row.s3Key,
        UploadId: row.uploadId,
        MultipartUpload: { Parts: listed.Parts!.map((p) => ({ PartNumber: p.PartNumber, ETag: p.ETag, ChecksumSHA256: p.ChecksumSHA256 })) },
      }),
    );

    const file = await completeUpload({ fileID: ticket.fileID, parts }, alice, deps);

    expect(file).toMatchObject({ fileID: ticket.fileID, size: bytes.length, partSize: 5 * MiB });
    expect((await deps.metadata.get(ticket.fileID))?.status).toBe('AVAILABLE');
    expect(await headOf(clients, row.s3Key)).toBe(bytes.length);
  });
});

describe('abortUpload racing completeUpload', () => {
  it('never leaves an available file without its bytes: the abort takes the row first, and the completion then finds no upload', async () => {
    const { clients, deps } = realStores();
    const bytes = bytesOf(4000, 5);
    const ticket = await createUpload(ticketInput(bytes, { projectID: 'p', fileName: 'race.bin' }), alice.caller, deps);
    await putBytes(ticket.uploadUrl!, ticket.uploadHeaders!, bytes);
    const key = (await deps.metadata.get(ticket.fileID))!.s3Key;
    const aborting = realStores();
    let aborted: Promise<string> | undefined;
    let removingBytes!: () => void;
    const bytesBeingRemoved = new Promise<void>((resolve) => (removingBytes = resolve));
    beforeCommand(aborting.clients.s3, 'DeleteObjectCommand', () => removingBytes());
    // After the completion has verified the object and before it records the file, an abort gets as far as removing the bytes.
    beforeCommand(clients.dynamodb, 'UpdateItemCommand', async () => {
      aborted ??= abortUpload(ticket.fileID, alice, aborting.deps);
      await bytesBeingRemoved;
    });

    const completion = completeUpload({ fileID: ticket.fileID }, alice, deps);

    await expect(completion).rejects.toMatchObject({ errorType: 'NotFound' });
    await expect(aborted).resolves.toBe(ticket.fileID);
    expect(await deps.metadata.get(ticket.fileID)).toBeUndefined();
    expect(await headOf(clients, key)).toBeUndefined();
  });

  it('answers Conflict to an abort that comes after the completion recorded the file, and keeps the file', async () => {
    const { clients, deps } = realStores();
    const bytes = bytesOf(3000, 6);
    const ticket = await createUpload({ ...ticketInput(bytes, { projectID: 'p', fileName: 'kept.bin' }), clientToken: randomUUID() }, alice.caller, deps);
    await putBytes(ticket.uploadUrl!, ticket.uploadHeaders!, bytes);
    await completeUpload({ fileID: ticket.fileID }, alice, deps);

    await expect(abortUpload(ticket.fileID, alice, deps)).rejects.toMatchObject({ errorType: 'Conflict' });
    const row = await deps.metadata.get(ticket.fileID);
    expect([row?.status, row?.sha256]).toEqual(['AVAILABLE', sha256Hex(bytes)]);
    expect(await headOf(clients, row!.s3Key)).toBe(bytes.length);
  });
});
