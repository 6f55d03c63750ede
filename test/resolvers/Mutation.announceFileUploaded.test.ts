import type { GetItemCommandInput } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { fileRow, seedRows } from '../support/file-rows';
import { iamCaller } from '../support/identities';
import { useLocalResolvers } from '../support/local-resolvers';
import { recordCommands } from '../support/sdk-requests';
import { useEmbeddedStorage } from '../support/storage';

const storage = useEmbeddedStorage();
const api = useLocalResolvers(storage);

describe('Mutation.announceFileUploaded', () => {
  it('reads the row with a strongly consistent GetItem: the REST Lambda announces right after its PutItem', async () => {
    const row = fileRow('p1', '2026-03-01T00:00:00.000Z');
    await seedRows(storage, [row]);
    const getItems = recordCommands<GetItemCommandInput>(storage.clients.dynamodb, 'GetItemCommand');

    const outcome = await api.call('Mutation.announceFileUploaded', { arguments: { fileID: row.fileID }, identity: iamCaller('rest-upload') });
    getItems.stop();
    expect(outcome).toEqual({ data: row, errors: [] });
    expect(getItems.inputs).toEqual([expect.objectContaining({ Key: { fileID: { S: row.fileID } }, ConsistentRead: true })]);
  });

  it('answers NotFound for a file not stored', async () => {
    const { data, errors } = await api.call('Mutation.announceFileUploaded', {
      arguments: { fileID: '00000000-0000-4000-8000-000000000000' },
      identity: iamCaller('rest-upload'),
    });
    expect(data).toBeNull();
    expect(errors).toEqual([{ errorType: 'NotFound', message: expect.stringContaining('announce a file after it is stored') }]);
  });
});
