import { describe, expect, it } from 'vitest';
import { base64, objectKeys, sha256Hex, tableRows, uploadInput } from '../functions/factories';
import { apiKeyCaller, userPoolCaller } from '../support/identities';
import { useLocalResolvers } from '../support/local-resolvers';
import { useEmbeddedStorage } from '../support/storage';

const storage = useEmbeddedStorage();
const api = useLocalResolvers(storage);

const upload = (input: unknown, identity: unknown) => api.call('Mutation.uploadFile', { arguments: { input }, identity });

describe('Mutation.uploadFile (authorize → upload Lambda, bundled)', () => {
  it('stores the file for a member of the project and returns its metadata', async () => {
    const { data, errors } = await upload(
      uploadInput({ projectID: 'm1', fileName: 'a.txt', contentBase64: base64('hello') }),
      userPoolCaller('alice', ['project-m1']),
    );

    expect(errors).toEqual([]);
    expect(data).toMatchObject({ projectID: 'm1', fileName: 'a.txt', size: 5, sha256: sha256Hex(Buffer.from('hello')), uploadedBy: 'alice' });
    expect(await objectKeys(storage, 'projects/m1/')).toEqual([(data as { s3Key: string }).s3Key]);
  });

  it('refuses a user outside the project before the Lambda runs: Unauthorized, nothing written', async () => {
    const { data, errors } = await upload(uploadInput({ projectID: 'm2' }), userPoolCaller('mallory', ['project-m1']));

    expect(data).toBeNull();
    expect(errors).toEqual([{ errorType: 'Unauthorized', message: expect.stringContaining('Not authorized for project m2') }]);
    expect(await objectKeys(storage, 'projects/m2/')).toEqual([]);
    expect(await tableRows(storage, 'm2')).toEqual([]);
  });

  it("turns the Lambda's refusal into a GraphQL error with its errorType", async () => {
    const { data, errors } = await upload(uploadInput({ projectID: 'm3', contentBase64: 'not base64!' }), apiKeyCaller());

    expect(data).toBeNull();
    expect(errors).toEqual([{ errorType: 'ValidationError', message: expect.stringContaining('base64') }]);
    expect(await tableRows(storage, 'm3')).toEqual([]);
  });
});
