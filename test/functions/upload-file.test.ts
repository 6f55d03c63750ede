/**
 * The domain flow against real dynalite and s3rver, with failures and races
 * injected as middleware on real AWS SDK clients (no SDK mocks).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PutItemCommand, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { uploaderFrom } from '../../functions/core/uploader';
import { readConfig } from '../../functions/core/config';
import { createStores, type StorageClients } from '../../functions/core/storage';
import { uploadFile } from '../../functions/core/upload-file';
import { idempotentFileID } from '../../functions/core/keys';
import { storageClients } from '../../local/storage/index';
import { seedRows } from '../support/file-rows';
import { userPoolCaller } from '../support/identities';
import { useEmbeddedStorage } from '../support/storage';
import { beforeCommand, failAfterCommand, loseFirstAnswer } from '../support/inject';
import { base64, objectKeys, readObject, sha256Hex, tableRows, uploadInput } from './factories';

const storage = useEmbeddedStorage();
const alice = userPoolCaller('alice', ['admins']);
const newProject = () => `p-${randomUUID().slice(0, 8)}`;

const opened: StorageClients[] = [];
afterEach(() => {
  opened.splice(0).forEach((c) => (c.s3.destroy(), c.dynamodb.destroy()));
  vi.restoreAllMocks();
});

/** Real clients for the fixture's storage, and the upload dependencies built on them. */
function realStores() {
  const clients = storageClients(storage.storage);
  opened.push(clients);
  const config = readConfig({}, { filesTable: storage.storage.tableName, filesBucket: storage.storage.bucketName, s3ForcePathStyle: true });
  return { clients, deps: createStores(config, clients) };
}

/** What S3 does with `If-None-Match: *` and s3rver does not: refuse to overwrite an existing key. */
function enforceIfNoneMatch(clients: StorageClients) {
  beforeCommand(clients.s3, 'PutObjectCommand', async (input) => {
    if (input.IfNoneMatch !== '*') return;
    const existing = await objectKeys(storage, input.Key);
    if (existing.includes(input.Key)) {
      throw new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
        message: 'At least one of the pre-conditions you specified did not hold',
      });
    }
  });
}

describe('uploadFile: a failed metadata write leaves neither object nor row', () => {
  it('deletes the object it wrote and rethrows the write error', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    const puts = beforeCommand(clients.s3, 'PutObjectCommand', () => {});
    beforeCommand(clients.dynamodb, 'PutItemCommand', () => {
      throw new Error('injected: DynamoDB unavailable');
    });

    await expect(uploadFile(uploadInput({ projectID }), uploaderFrom(alice), deps)).rejects.toThrow('injected: DynamoDB unavailable');

    expect(puts).toHaveLength(1);
    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([]);
    expect(await tableRows(storage, projectID)).toEqual([]);
  });

  it('still reports the write error when the clean-up delete fails too, and logs the orphaned key', async () => {
    const projectID = newProject();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { clients, deps } = realStores();
    beforeCommand(clients.dynamodb, 'PutItemCommand', () => {
      throw new Error('injected: DynamoDB unavailable');
    });
    beforeCommand(clients.s3, 'DeleteObjectCommand', () => {
      throw new Error('injected: S3 unavailable');
    });

    await expect(uploadFile(uploadInput({ projectID, contentBase64: base64('orphan') }), uploaderFrom(alice), deps)).rejects.toThrow(
      'injected: DynamoDB unavailable',
    );

    const orphans = await objectKeys(storage, `projects/${projectID}/`);
    expect(orphans).toEqual([expect.stringMatching(new RegExp(`^projects/${projectID}/[0-9a-f-]{36}/notes\\.txt$`))]);
    expect((await readObject(storage, orphans[0])).bytes.toString()).toBe('orphan');
    expect(await tableRows(storage, projectID)).toEqual([]);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('orphaned'), expect.objectContaining({ key: orphans[0] }));
  });
});

describe('uploadFile: a metadata write that committed but reported an error', () => {
  it('is a success: the object is kept and the file returned', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    failAfterCommand(clients.dynamodb, 'PutItemCommand', 'socket hang up');

    const file = await uploadFile(uploadInput({ projectID, contentBase64: base64('committed') }), uploaderFrom(alice), deps);

    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([file.s3Key]);
    expect((await readObject(storage, file.s3Key)).bytes.toString()).toBe('committed');
    expect(await tableRows(storage, projectID)).toEqual([{ ...file, status: 'AVAILABLE' }]);
  });

  it('keeps the object when the read that would tell fails too: the outcome is unknown, and the row may point to it', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    failAfterCommand(clients.dynamodb, 'PutItemCommand', 'socket hang up');
    beforeCommand(clients.dynamodb, 'GetItemCommand', () => {
      throw new Error('injected: DynamoDB unreachable');
    });
    const deletes = beforeCommand(clients.s3, 'DeleteObjectCommand', () => {});

    await expect(uploadFile(uploadInput({ projectID, contentBase64: base64('unknown') }), uploaderFrom(alice), deps)).rejects.toThrow('socket hang up');

    const [row] = await tableRows(storage, projectID);
    expect(deletes).toEqual([]);
    expect((await readObject(storage, String(row.s3Key))).bytes.toString()).toBe('unknown');
  });
});

describe('uploadFile: a metadata write the SDK retried after its first attempt committed', () => {
  it('is a success when the retry finds the row: the row is our own, the object is kept', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    const deletes = beforeCommand(clients.s3, 'DeleteObjectCommand', () => {});
    loseFirstAnswer(clients.dynamodb, 'PutItemCommand');

    const file = await uploadFile(uploadInput({ projectID, contentBase64: base64('retried') }), uploaderFrom(alice), deps);

    expect(deletes).toEqual([]);
    expect((await readObject(storage, file.s3Key)).bytes.toString()).toBe('retried');
    expect(await tableRows(storage, projectID)).toEqual([{ ...file, status: 'AVAILABLE' }]);
  });

  it('keeps the object when the retry was refused and the read that would tell fails: the first attempt may have written the row', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    const deletes = beforeCommand(clients.s3, 'DeleteObjectCommand', () => {});
    // A client fault the SDK does not retry (a throttled retry would be, and end the same way, only slower).
    loseFirstAnswer(clients.dynamodb, 'PutItemCommand', () => {
      throw new TransactionConflictException({ message: 'injected: refused', $metadata: {} });
    });
    beforeCommand(clients.dynamodb, 'GetItemCommand', () => {
      throw new Error('injected: DynamoDB unreachable');
    });

    await expect(uploadFile(uploadInput({ projectID, contentBase64: base64('unknown') }), uploaderFrom(alice), deps)).rejects.toThrow('injected: refused');

    const [row] = await tableRows(storage, projectID);
    expect(deletes).toEqual([]);
    expect((await readObject(storage, String(row.s3Key))).bytes.toString()).toBe('unknown');
  });
});

describe('uploadFile: what it sends S3', () => {
  it('sends the SHA-256 checksum and If-None-Match: * with the object', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    const puts = beforeCommand(clients.s3, 'PutObjectCommand', () => {});

    const file = await uploadFile(uploadInput({ projectID, contentBase64: base64('checked') }), uploaderFrom(alice), deps);

    expect(puts).toEqual([
      expect.objectContaining({
        Key: file.s3Key,
        ChecksumSHA256: Buffer.from(sha256Hex(Buffer.from('checked')), 'hex').toString('base64'),
        IfNoneMatch: '*',
        // notes.txt, undeclared and unrecognised: its extension's type.
        ContentType: 'text/plain',
        ContentLength: 7,
      }),
    ]);
  });
});

describe('uploadFile: concurrent attempts with one clientToken', () => {
  it('returns the winner when its row appears between our check and our write, and keeps the object', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    const winnerUploadedAt = '2026-01-01T00:00:00.000Z';
    // The other attempt writes its row just before ours.
    beforeCommand(clients.dynamodb, 'PutItemCommand', async (input) => {
      const winner = { ...input.Item, uploadedAt: { S: winnerUploadedAt } };
      await storage.clients.dynamodb.send(new PutItemCommand({ TableName: input.TableName, Item: winner }));
    });

    const file = await uploadFile(uploadInput({ projectID, clientToken: 't1' }), uploaderFrom(alice), deps);

    expect(file.uploadedAt).toBe(winnerUploadedAt);
    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([file.s3Key]);
    expect(await tableRows(storage, projectID)).toEqual([{ ...file, status: 'AVAILABLE', clientToken: 't1' }]);
  });

  it('deletes its own object when the winner, under another file name, stored its object under another key', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    let winnerKey = '';
    beforeCommand(clients.dynamodb, 'PutItemCommand', async (input) => {
      winnerKey = input.Item.s3Key.S.replace(/notes\.txt$/, 'other-name.txt');
      await storage.clients.s3.send(new PutObjectCommand({ Bucket: storage.storage.bucketName, Key: winnerKey, Body: 'hello' }));
      const winner = { ...input.Item, fileName: { S: 'other-name.txt' }, s3Key: { S: winnerKey } };
      await storage.clients.dynamodb.send(new PutItemCommand({ TableName: input.TableName, Item: winner }));
    });

    const file = await uploadFile(uploadInput({ projectID, clientToken: 't-names' }), uploaderFrom(alice), deps);

    expect(file).toMatchObject({ fileName: 'other-name.txt', s3Key: winnerKey });
    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([winnerKey]);
  });

  it('answers Conflict when the winner stored different content, and does not delete the shared key', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    beforeCommand(clients.dynamodb, 'PutItemCommand', async (input) => {
      const winner = { ...input.Item, sha256: { S: sha256Hex(Buffer.from('other')) } };
      await storage.clients.dynamodb.send(new PutItemCommand({ TableName: input.TableName, Item: winner }));
    });

    const attempt = uploadFile(uploadInput({ projectID, clientToken: 't2' }), uploaderFrom(alice), deps);

    await expect(attempt).rejects.toMatchObject({ errorType: 'Conflict', message: expect.stringContaining('already used for different content') });
    expect(await objectKeys(storage, `projects/${projectID}/`)).toHaveLength(1);
  });

  it('answers Conflict while another attempt holds the key but has no row yet, then replays once it has', async () => {
    const projectID = newProject();
    const { clients, deps } = realStores();
    enforceIfNoneMatch(clients);
    const caller = uploaderFrom(alice);
    const fileID = idempotentFileID(caller.idempotencyKey, projectID, 't3');
    const key = `projects/${projectID}/${fileID}/notes.txt`;
    // The other attempt's object, written before its row.
    await storage.clients.s3.send(new PutObjectCommand({ Bucket: storage.storage.bucketName, Key: key, Body: 'hello' }));

    const during = uploadFile(uploadInput({ projectID, clientToken: 't3' }), caller, deps);

    await expect(during).rejects.toMatchObject({ errorType: 'Conflict', message: expect.stringContaining('still in progress; retry') });
    expect((await readObject(storage, key)).bytes.toString()).toBe('hello');

    const row = {
      fileID,
      projectID,
      fileName: 'notes.txt',
      fileType: 'text',
      contentType: 'application/octet-stream',
      size: 5,
      sha256: sha256Hex(Buffer.from('hello')),
      s3Key: key,
      uploadedAt: '2026-01-01T00:00:00.000Z',
      uploadedBy: 'alice',
      status: 'AVAILABLE',
      clientToken: 't3',
    };
    await seedRows(storage, [row]);
    const { status: _status, clientToken: _token, ...file } = row;

    expect(await uploadFile(uploadInput({ projectID, clientToken: 't3' }), caller, deps)).toEqual(file);
  });
});
