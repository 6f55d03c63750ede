import { describe, expect, it } from 'vitest';
import { HeadObjectCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import {
  AbortUploadDocument,
  CompleteUploadDocument,
  CreateUploadUrlDocument,
  DeleteFileDocument,
  FileDocument,
  FilesByProjectDocument,
  FilesByProjectWithUrlsDocument,
} from '../../generated/operations';
import { storageClients } from '../../local/storage/index';
import { bytesOf, graphqlAs, putBytes, putHeaders, putParts, sendFile, sha256Hex, ticketInput } from '../support/direct-upload';
import { useLocalServer } from '../support/local-server';
import { OnFileDeletedDocument, OnFileUploadedDocument } from '../../generated/operations';
import { openRealtime, startMessage, tokenHeader } from '../support/realtime-client';

const local = useLocalServer();
const MiB = 1024 * 1024;

/** A GraphQL caller holding a user-pool token of `username` in `groups`. */
async function userCall(username: string, groups: string[]) {
  const token = await local.server.signToken({ username, groups });
  return graphqlAs(local.server.graphqlUrl, { authorization: token });
}

const project = () => `p${randomUUID().slice(0, 8)}`;

describe('large uploads straight to storage', () => {
  it('takes a 3 MB file in one presigned PUT, lists it, and serves it back byte-identical as an attachment', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bytes = bytesOf(3 * 1000 * 1000);

    const { ticket, completed } = await sendFile(alice, bytes, { projectID, fileName: 'Résumé 2026.bin' });

    expect(ticket).toMatchObject({ partSize: null, parts: null });
    expect(JSON.parse(ticket.uploadHeaders)).toEqual({
      'content-length': String(bytes.length),
      'content-type': 'application/octet-stream',
      'x-amz-checksum-sha256': Buffer.from(sha256Hex(bytes), 'hex').toString('base64'),
    });
    expect(new Date(ticket.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(completed.body).toEqual({
      data: {
        completeUpload: expect.objectContaining({
          fileID: ticket.fileID,
          projectID,
          fileName: 'Résumé 2026.bin',
          size: bytes.length,
          sha256: sha256Hex(bytes),
          partSize: null,
          uploadedBy: 'alice',
        }),
      },
    });
    const listed = await alice(FilesByProjectWithUrlsDocument, { projectID });
    expect(listed.body.data.filesByProject.items.map((f: { fileID: string }) => f.fileID)).toEqual([ticket.fileID]);
    const download = await fetch(listed.body.data.filesByProject.items[0].downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="R_sum_ 2026.bin"; filename*=UTF-8''R%C3%A9sum%C3%A9%202026.bin`);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('takes a 40 MiB file in parallel parts, each bound to its SHA-256, and records the composite checksum', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bytes = bytesOf(40 * MiB + 123, 7);

    const { ticket, completed } = await sendFile(alice, bytes, { projectID, fileName: 'dataset.bin', partSize: 16 * MiB });

    expect(ticket.uploadUrl).toBeNull();
    expect(ticket.parts.map((p: { partNumber: number }) => p.partNumber)).toEqual([1, 2, 3]);
    const file = completed.body.data.completeUpload;
    expect(file).toMatchObject({ size: bytes.length, partSize: 16 * MiB });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}-3$/);
    const download = await fetch((await alice(FileDocument, { fileID: file.fileID })).body.data.file.downloadUrl);
    expect(sha256Hex(Buffer.from(await download.arrayBuffer()))).toBe(sha256Hex(bytes));
  });

  it('refuses other bytes at storage: the same length with other content, or another length, never becomes a file', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bytes = bytesOf(64 * 1024);
    const ticket = (await alice(CreateUploadUrlDocument, { input: ticketInput(bytes, { projectID, fileName: 'a.bin' }) })).body.data.createUploadUrl;

    const tampered = Buffer.from(bytes);
    tampered[100] ^= 0xff;
    const wrongBytes = await putBytes(ticket.uploadUrl, ticket.uploadHeaders, tampered);
    const wrongLength = await putBytes(ticket.uploadUrl, ticket.uploadHeaders, bytes.subarray(1));
    const completed = await alice(CompleteUploadDocument, { input: { fileID: ticket.fileID } });

    expect([wrongBytes.status, await wrongBytes.text()]).toEqual([400, expect.stringContaining('<Code>BadDigest</Code>')]);
    expect(wrongLength.status).toBe(403);
    expect(completed.body.errors).toEqual([
      expect.objectContaining({
        errorType: 'ValidationError',
        message: `No bytes have arrived for file ${ticket.fileID} yet: PUT the file to the ticket's uploadUrl with its uploadHeaders, then call completeUpload again.`,
      }),
    ]);
    expect((await alice(FilesByProjectDocument, { projectID })).body.data.filesByProject.items).toEqual([]);
  });

  it('lets a page on the API origin PUT and read back a presigned URL (CORS, with the ETag exposed)', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bytes = bytesOf(40 * MiB, 9);
    const ticket = (await alice(CreateUploadUrlDocument, { input: ticketInput(bytes, { projectID, fileName: 'cors.bin' }) })).body.data.createUploadUrl;
    const origin = new URL(local.server.graphqlUrl).origin;

    const preflight = await fetch(ticket.parts[0].url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-amz-checksum-sha256' },
    });
    const put = await fetch(ticket.parts[0].url, {
      method: 'PUT',
      headers: { origin, ...putHeaders(ticket.parts[0].headers) },
      body: bytes.subarray(0, 16 * MiB),
    });

    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('PUT, GET, HEAD');
    expect(put.status).toBe(200);
    expect(put.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(put.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('resumes with the same clientToken: parts already stored come back with their ETag, the rest with fresh URLs', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bytes = bytesOf(33 * MiB, 3);
    const input = ticketInput(bytes, { projectID, fileName: 'video.bin', partSize: 5 * MiB, clientToken: 'resume-1' });
    const first = (await alice(CreateUploadUrlDocument, { input })).body.data.createUploadUrl;
    const part1 = await putBytes(first.parts[0].url, first.parts[0].headers, bytes.subarray(0, 5 * MiB));

    const again = (await alice(CreateUploadUrlDocument, { input })).body.data.createUploadUrl;

    expect(again.fileID).toBe(first.fileID);
    expect(again.parts[0]).toEqual({ partNumber: 1, url: null, headers: null, etag: part1.headers.get('etag') });
    expect(again.parts.slice(1).every((p: { url: string | null; etag: string | null }) => p.url && !p.etag)).toBe(true);
    const parts = await putParts(again, bytes);
    const completed = await alice(CompleteUploadDocument, { input: { fileID: again.fileID, parts } });
    expect(completed.body.data.completeUpload).toMatchObject({ fileID: first.fileID, size: bytes.length });
    expect((await alice(CompleteUploadDocument, { input: { fileID: again.fileID, parts } })).body.data.completeUpload).toEqual(
      completed.body.data.completeUpload,
    );
    expect((await alice(CreateUploadUrlDocument, { input })).body.errors).toEqual([
      expect.objectContaining({
        errorType: 'Conflict',
        message: `The upload with clientToken "resume-1" is already complete: it is file ${first.fileID}. Use a new clientToken for a new file.`,
      }),
    ]);
  });

  it('requires a clientToken above 32 MiB: without one an upload in parts could never get fresh URLs', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const { clientToken: _token, ...input } = ticketInput(bytesOf(33 * MiB), { projectID, fileName: 'big.bin' });

    const refused = await alice(CreateUploadUrlDocument, { input });

    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        errorType: 'ValidationError',
        message:
          'clientToken is required for files over 33,554,432 bytes (32 MiB): asking again with it is how an upload in parts gets fresh URLs and resumes.',
      }),
    ]);
  });

  it('aborts an upload: its parts and row are gone, and it can no longer be completed', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bytes = bytesOf(40 * MiB, 5);
    const ticket = (await alice(CreateUploadUrlDocument, { input: ticketInput(bytes, { projectID, fileName: 'x.bin' }) })).body.data.createUploadUrl;
    await putBytes(ticket.parts[0].url, ticket.parts[0].headers, bytes.subarray(0, 16 * MiB));
    const clients = storageClients(local.server.storage);
    const { Item } = await clients.dynamodb.send(new GetItemCommand({ TableName: local.server.storage.tableName, Key: { fileID: { S: ticket.fileID } } }));

    const aborted = await alice(AbortUploadDocument, { fileID: ticket.fileID });

    expect(aborted.body).toEqual({ data: { abortUpload: ticket.fileID } });
    await expect(
      clients.s3.send(new ListPartsCommand({ Bucket: local.server.storage.bucketName, Key: Item!.s3Key.S, UploadId: Item!.uploadId.S })),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
    expect((await alice(CompleteUploadDocument, { input: { fileID: ticket.fileID } })).body.errors[0].errorType).toBe('NotFound');
  });

  it('lets only the uploader or an admin complete an upload, and nobody outside the project start one', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bob = await userCall('bob', [`project-${projectID}`]);
    const admin = await userCall('root', ['admins']);
    const mallory = await userCall('mallory', ['project-other']);
    const bytes = bytesOf(1000);
    const ticket = (await alice(CreateUploadUrlDocument, { input: ticketInput(bytes, { projectID, fileName: 'a.bin' }) })).body.data.createUploadUrl;
    await putBytes(ticket.uploadUrl, ticket.uploadHeaders, bytes);

    const byMallory = await mallory(CreateUploadUrlDocument, { input: ticketInput(bytes, { projectID, fileName: 'b.bin' }) });
    const byBob = await bob(CompleteUploadDocument, { input: { fileID: ticket.fileID } });
    const byMalloryComplete = await mallory(CompleteUploadDocument, { input: { fileID: ticket.fileID } });
    const byAdmin = await admin(CompleteUploadDocument, { input: { fileID: ticket.fileID } });

    expect(byMallory.body.errors[0].errorType).toBe('Unauthorized');
    expect(byBob.body.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: `Only the uploader of file ${ticket.fileID} or an admin may complete or abort its upload.`,
    });
    // An outsider learns nothing of the upload: the answer for a fileID that does not exist.
    expect(byMalloryComplete.body.errors[0]).toMatchObject({
      errorType: 'NotFound',
      message: `No upload has fileID ${ticket.fileID}: it may have been aborted, discarded or expired. Start again with createUploadUrl.`,
    });
    expect(byAdmin.body.data.completeUpload).toMatchObject({ fileID: ticket.fileID, uploadedBy: 'alice' });
  });

  it('discards a completed upload whose declared type contradicts its bytes', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

    const { ticket, completed } = await sendFile(alice, png, { projectID, fileName: 'x.pdf', contentType: 'application/pdf' });

    expect(completed.body.errors[0]).toMatchObject({ errorType: 'UnsupportedMediaType' });
    const { Item } = await storageClients(local.server.storage).dynamodb.send(
      new GetItemCommand({ TableName: local.server.storage.tableName, Key: { fileID: { S: ticket.fileID } } }),
    );
    expect(Item).toBeUndefined();
  });

  it('detects the stored type from the first bytes', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

    const { completed } = await sendFile(alice, png, { projectID, fileName: 'dot' });

    expect(completed.body.data.completeUpload.contentType).toBe('image/png');
  });

  it('discards uploads never completed once their time is up, as TTL and the lifecycle rule do on AWS', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bytes = bytesOf(2000);
    const ticket = (await alice(CreateUploadUrlDocument, { input: ticketInput(bytes, { projectID, fileName: 'late.bin' }) })).body.data.createUploadUrl;
    await putBytes(ticket.uploadUrl, ticket.uploadHeaders, bytes);

    const discarded = await local.server.expireUploads(new Date(Date.now() + 25 * 3600 * 1000));

    expect(discarded).toBeGreaterThanOrEqual(1);
    expect((await alice(CompleteUploadDocument, { input: { fileID: ticket.fileID } })).body.errors[0].errorType).toBe('NotFound');
  });
});

describe('deleteFile', () => {
  it('removes the object and the row: gone from listings, from file(), and from its download URL', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bytes = bytesOf(5000);
    const { completed } = await sendFile(alice, bytes, { projectID, fileName: 'gone.bin' });
    const file = completed.body.data.completeUpload;
    const url = (await alice(FileDocument, { fileID: file.fileID })).body.data.file.downloadUrl;

    const deleted = await alice(DeleteFileDocument, { fileID: file.fileID });

    expect(deleted.body).toEqual({ data: { deleteFile: file } });
    expect((await alice(FileDocument, { fileID: file.fileID })).body).toEqual({ data: { file: null } });
    expect((await alice(FilesByProjectDocument, { projectID })).body.data.filesByProject.items).toEqual([]);
    expect((await fetch(url)).status).toBe(404);
    await expect(
      storageClients(local.server.storage).s3.send(new HeadObjectCommand({ Bucket: local.server.storage.bucketName, Key: file.s3Key })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    expect((await alice(DeleteFileDocument, { fileID: file.fileID })).body.errors[0]).toMatchObject({
      errorType: 'NotFound',
      message: `No file has fileID ${file.fileID}: it may have been deleted already.`,
    });
  });

  it('refuses a caller outside the project and keeps the file', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const mallory = await userCall('mallory', ['project-other']);
    const { completed } = await sendFile(alice, bytesOf(100), { projectID, fileName: 'kept.bin' });
    const file = completed.body.data.completeUpload;

    const refused = await mallory(DeleteFileDocument, { fileID: file.fileID });

    // Answered as for a file that does not exist: the outsider learns neither the file nor its project.
    expect(refused.body.errors[0]).toMatchObject({ errorType: 'NotFound', message: `No file has fileID ${file.fileID}: it may have been deleted already.` });
    expect((await alice(FileDocument, { fileID: file.fileID })).body.data.file.fileID).toBe(file.fileID);
  });
});

describe('live notifications', () => {
  it('tells onFileUploaded subscribers of a completed upload, and onFileDeleted subscribers of its deletion', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    const bobToken = await local.server.signToken({ username: 'bob', groups: [`project-${projectID}`] });
    const auth = tokenHeader(local.server.graphqlUrl, bobToken);
    const socket = await openRealtime(local.server.realtimeUrl, auth);
    socket.send({ type: 'connection_init' });
    await socket.next((f) => f.type === 'connection_ack');
    socket.send(startMessage('up', { query: OnFileUploadedDocument.toString(), variables: { projectID } }, auth));
    socket.send(startMessage('down', { query: OnFileDeletedDocument.toString(), variables: { projectID } }, auth));
    await socket.next((f) => f.type === 'start_ack' && f.id === 'up');
    await socket.next((f) => f.type === 'start_ack' && f.id === 'down');

    const { completed } = await sendFile(alice, bytesOf(777), { projectID, fileName: 'live.bin' });
    const file = completed.body.data.completeUpload;
    const uploaded = await socket.next((f) => f.type === 'data' && f.id === 'up');
    await alice(DeleteFileDocument, { fileID: file.fileID });
    const deleted = await socket.next((f) => f.type === 'data' && f.id === 'down');
    socket.close();

    expect(uploaded.payload).toEqual({ data: { onFileUploaded: file } });
    expect(deleted.payload).toEqual({ data: { onFileDeleted: file } });
  });
});

describe('File.downloadUrl', () => {
  it('signs a page of many files in one batched Lambda invocation', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    await Promise.all(Array.from({ length: 30 }, (_, i) => sendFile(alice, bytesOf(10 + i, i + 1), { projectID, fileName: `f${i}.bin` })));
    const before = local.server.lambdaInvocations('download');

    const page = await alice(FilesByProjectWithUrlsDocument, { projectID, limit: 30 });

    expect(page.body.data.filesByProject.items).toHaveLength(30);
    expect(page.body.data.filesByProject.items.every((f: { downloadUrl: string }) => f.downloadUrl.startsWith('http'))).toBe(true);
    expect(local.server.lambdaInvocations('download') - before).toBe(1);
  });

  it('costs no Lambda invocation when a listing does not ask for URLs', async () => {
    const projectID = project();
    const alice = await userCall('alice', [`project-${projectID}`]);
    await sendFile(alice, bytesOf(64), { projectID, fileName: 'one.bin' });
    const before = local.server.lambdaInvocations('download');

    const page = await alice(FilesByProjectDocument, { projectID });

    expect(page.body.data.filesByProject.items).toHaveLength(1);
    expect(local.server.lambdaInvocations('download')).toBe(before);
  });
});
