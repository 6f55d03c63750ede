import { describe, expect, it } from 'vitest';
import { apiKeyCaller, userPoolCaller } from '../support/identities';
import { useLocalResolvers } from '../support/local-resolvers';
import { useEmbeddedStorage } from '../support/storage';

const storage = useEmbeddedStorage();
const api = useLocalResolvers(storage);

const subscribe = (projectID: string, identity: unknown) => api.call('Subscription.onFileUploaded', { arguments: { projectID }, identity });

describe('Subscription.onFileUploaded', () => {
  it.each([
    ['a project member', userPoolCaller('alice', ['project-42'])],
    ['an API-key caller', apiKeyCaller()],
  ])('lets %s subscribe, filtered to the project', async (_who, identity) => {
    expect(await subscribe('42', identity)).toEqual({
      data: null,
      errors: [],
      subscriptionFilter: { filterGroup: [{ filters: [{ fieldName: 'projectID', operator: 'eq', value: '42' }] }] },
    });
  });

  it('refuses a caller outside the project, and sets no filter', async () => {
    expect(await subscribe('42', userPoolCaller('mallory', ['project-7']))).toEqual({
      data: null,
      errors: [{ errorType: 'Unauthorized', message: expect.stringContaining('Not authorized for project 42') }],
    });
  });
});
