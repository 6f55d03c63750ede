import { describe, expect, it } from 'vitest';
import { fileRow, seedRows } from '../support/file-rows';
import { apiKeyCaller, userPoolCaller } from '../support/identities';
import { useLocalResolvers } from '../support/local-resolvers';
import { useEmbeddedStorage } from '../support/storage';

const storage = useEmbeddedStorage();
const api = useLocalResolvers(storage);

const getFile = (fileID: string, identity: unknown = apiKeyCaller()) => api.call('Query.file', { arguments: { fileID }, identity });

describe('Query.file', () => {
  it('returns the row of an available file', async () => {
    const row = fileRow('p1', '2026-03-01T00:00:00.000Z');
    await seedRows(storage, [row]);

    expect(await getFile(row.fileID, userPoolCaller('alice', ['project-p1']))).toEqual({ data: row, errors: [] });
  });

  it('returns null, without error, for an unknown file', async () => {
    expect(await getFile('00000000-0000-4000-8000-000000000000')).toEqual({ data: null, errors: [] });
  });

  it('returns null for a file still pending', async () => {
    const row = fileRow('p1', '2026-03-01T00:00:00.000Z', { status: 'PENDING' });
    await seedRows(storage, [row]);

    expect(await getFile(row.fileID)).toEqual({ data: null, errors: [] });
  });

  it('answers a caller outside the project exactly as for a missing file: null, no error naming the project', async () => {
    const row = fileRow('p2', '2026-03-01T00:00:00.000Z');
    await seedRows(storage, [row]);

    const outsider = await getFile(row.fileID, userPoolCaller('mallory', ['project-p1']));

    expect(outsider).toEqual(await getFile('no-such-file', userPoolCaller('mallory', ['project-p1'])));
    expect(outsider).toEqual({ data: null, errors: [] });
    expect((await getFile(row.fileID, userPoolCaller('paula', ['project-p2']))).data).toMatchObject({ fileID: row.fileID });
  });
});
