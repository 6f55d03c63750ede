import { beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../functions/factories';
import { bytesOf, ticketInput } from '../support/direct-upload';
import { fileRow, seedRows, timestamps } from '../support/file-rows';
import { apiKeyCaller, iamCaller, userPoolCaller } from '../support/identities';
import { beforeCommand } from '../support/inject';
import { useLocalResolvers } from '../support/local-resolvers';
import { useEmbeddedStorage } from '../support/storage';

const storage = useEmbeddedStorage();
const api = useLocalResolvers(storage);

type Page = { items: { fileID: string; uploadedAt: string }[]; nextToken: string | null };

const list = (args: Record<string, unknown>, identity: unknown = apiKeyCaller()) => api.call('Query.filesByProject', { arguments: args, identity });

async function listAll(projectID: string, limit: number): Promise<Page[]> {
  const pages: Page[] = [];
  let nextToken: string | null = null;
  do {
    const { data, errors } = await list({ projectID, limit, nextToken });
    expect(errors).toEqual([]);
    pages.push(data as Page);
    nextToken = (data as Page).nextToken;
  } while (nextToken);
  return pages;
}

describe('Query.filesByProject', () => {
  it('lists a project newest first, and only that project', async () => {
    const rows = timestamps(3).map((at) => fileRow('order', at));
    await seedRows(storage, [...rows, fileRow('order-other', timestamps(1)[0])]);

    const { data, errors } = await list({ projectID: 'order' });

    expect(errors).toEqual([]);
    expect(data).toEqual({ items: [...rows].reverse(), nextToken: null });
  });

  it('pages through every file exactly once, including files uploaded in the same millisecond', async () => {
    const same = '2026-02-01T10:00:00.000Z';
    const rows = [...timestamps(5, Date.UTC(2026, 1, 2)).map((at) => fileRow('paged', at)), fileRow('paged', same), fileRow('paged', same)];
    await seedRows(storage, rows);

    const pages = await listAll('paged', 2);

    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2, 1]);
    const listed = pages.flatMap((p) => p.items);
    expect(listed.map((f) => f.fileID).sort()).toEqual(rows.map((r) => r.fileID).sort());
    const times = listed.map((f) => f.uploadedAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('returns 20 files when no limit is given', async () => {
    await seedRows(
      storage,
      timestamps(21).map((at) => fileRow('many', at)),
    );

    const { data } = await list({ projectID: 'many' });

    expect((data as Page).items).toHaveLength(20);
    expect((data as Page).nextToken).toEqual(expect.any(String));
  });

  it.each([0, -1, 101])('refuses limit %i with ValidationError', async (limit) => {
    const { data, errors } = await list({ projectID: 'order', limit });

    expect(data).toBeNull();
    expect(errors).toEqual([{ message: `limit must be between 1 and 100; got ${limit}.`, errorType: 'ValidationError' }]);
  });

  it("refuses another project's nextToken", async () => {
    await seedRows(
      storage,
      timestamps(2).map((at) => fileRow('token-a', at)),
    );
    const first = await list({ projectID: 'token-a', limit: 1 });
    const foreign = (first.data as Page).nextToken;

    const { data, errors } = await list({ projectID: 'token-b', limit: 1, nextToken: foreign });

    expect(data).toBeNull();
    expect(errors).toEqual([{ errorType: 'ValidationError', message: expect.stringContaining('nextToken does not belong to this listing') }]);
  });

  it('refuses a forged nextToken', async () => {
    await seedRows(
      storage,
      timestamps(2).map((at) => fileRow('token-c', at)),
    );
    const first = await list({ projectID: 'token-c', limit: 1 });
    const token = (first.data as Page).nextToken!;
    const [prefix, inner] = [token.slice(0, token.indexOf('.') + 1), token.slice(token.indexOf('.') + 1)];
    const tampered = prefix + inner.slice(0, -2) + (inner.endsWith('AA') ? 'BB' : 'AA');

    const { data, errors } = await list({ projectID: 'token-c', limit: 1, nextToken: tampered });

    expect(data).toBeNull();
    expect(errors).toEqual([{ errorType: 'ValidationError', message: 'nextToken is not valid: pass the nextToken exactly as filesByProject returned it.' }]);
  });

  it("refuses another project's inner token under this project's prefix", async () => {
    await seedRows(
      storage,
      timestamps(2).map((at) => fileRow('token-d', at)),
    );
    await seedRows(
      storage,
      timestamps(2).map((at) => fileRow('token-e', at)),
    );
    const [own, foreign] = await Promise.all(['token-e', 'token-d'].map(async (projectID) => (await list({ projectID, limit: 1 })).data as Page));
    const spliced = own.nextToken!.slice(0, own.nextToken!.indexOf('.') + 1) + foreign.nextToken!.slice(foreign.nextToken!.indexOf('.') + 1);

    const { data, errors } = await list({ projectID: 'token-e', limit: 1, nextToken: spliced });

    expect(data).toBeNull();
    expect(errors).toEqual([{ errorType: 'ValidationError', message: 'nextToken is not valid: pass the nextToken exactly as filesByProject returned it.' }]);
  });

  it('does not list an upload that is not complete, beside a file that is', async () => {
    const [available] = timestamps(1).map((at) => fileRow('pending', at));
    await seedRows(storage, [available]);
    // The PENDING row as createUploadUrl writes it, through its resolver and the bundled Lambda.
    const bytes = bytesOf(10);
    const created = await api.call('Mutation.createUploadUrl', {
      arguments: { input: ticketInput(bytes, { projectID: 'pending', fileName: 'open.bin' }) },
      identity: apiKeyCaller(),
    });
    expect(created.errors).toEqual([]);
    const pendingID = (created.data as { fileID: string }).fileID;
    expect((await tableRows(storage, 'pending')).map((row) => [row.fileID, row.status])).toEqual(
      expect.arrayContaining([
        [pendingID, 'PENDING'],
        [available.fileID, 'AVAILABLE'],
      ]),
    );

    const { data } = await list({ projectID: 'pending' });

    expect(data).toEqual({ items: [available], nextToken: null });
  });

  describe('authorization', () => {
    /** The table reads resolvers send (the resolvers run on this client). */
    let queries: unknown[];
    beforeAll(() => {
      queries = beforeCommand(storage.clients.dynamodb, 'QueryCommand', () => {});
    });

    it.each([
      ['a member of the project group', userPoolCaller('alice', ['project-secure'])],
      ['an admin', userPoolCaller('root', ['admins'])],
      ['an API-key caller', apiKeyCaller()],
      ['an IAM caller', iamCaller()],
    ])('lets %s list, reading the table', async (_who, identity) => {
      const before = queries.length;

      const { errors } = await list({ projectID: 'secure' }, identity);

      expect(errors).toEqual([]);
      expect(queries.length).toBe(before + 1);
    });

    it.each([
      ['a member of another project', userPoolCaller('mallory', ['project-other'])],
      ['a user in no group', userPoolCaller('nobody', null)],
      ['a user whose group only starts like the project', userPoolCaller('eve', ['project-secure-2'])],
    ])('refuses %s with Unauthorized, before reading the table', async (_who, identity) => {
      const before = queries.length;

      const { data, errors } = await list({ projectID: 'secure' }, identity);

      expect(queries.length).toBe(before);
      expect(data).toBeNull();
      expect(errors).toEqual([
        { errorType: 'Unauthorized', message: 'Not authorized for project secure: the token\'s cognito:groups must include "project-secure" or "admins".' },
      ]);
    });
  });
});
