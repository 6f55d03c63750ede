import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { uploaderFrom } from '../../functions/core/uploader';
import { FileServiceError } from '../../functions/core/errors';
import { idempotentFileID, keyPrefix, newFileID, objectKey, safeName } from '../../functions/core/keys';
import { apiKeyCaller, iamCaller, userPoolCaller } from '../support/identities';
import { UUID } from './factories';

describe('safeName', () => {
  it.each([
    ['notes.txt', 'notes.txt'],
    ['../../etc/passwd', 'etc_passwd'],
    ['a/b\\c', 'a_b_c'],
    ['..', 'file'],
    ['.', 'file'],
    ['/', 'file'],
    ['../..\\..', 'file'],
    ['..../x', 'x'],
    ['re\u0000port\u001f.pdf\u007f', 'report.pdf'],
    ['\u0085..\u0000/evil', 'evil'],
    ['.hidden', '.hidden'],
    ['v1..2.txt', 'v1..2.txt'],
    ['résumé 2026.pdf', 'résumé 2026.pdf'],
  ])('%j → %j', (name, expected) => {
    expect(safeName(name)).toBe(expected);
  });
});

describe('objectKey', () => {
  it.each(['../../etc/passwd', 'a/b\\c', '..', '\u0000/../\u0001', '/leading/slash', 'trailing/'])('keeps %j under projects/{projectID}/{fileID}/', (name) => {
    const fileID = newFileID();

    const key = objectKey('p1', fileID, name);

    expect(key.startsWith(keyPrefix('p1', fileID))).toBe(true);
    expect(key.slice(keyPrefix('p1', fileID).length)).toMatch(/^[^/\\\u0000-\u001f]+$/);
    expect(key.split('/')).toHaveLength(4);
  });

  it('refuses a projectID or fileID that could escape the prefix', () => {
    expect(() => objectKey('../p2', newFileID(), 'a')).toThrow('malformed projectID');
    expect(() => objectKey('p1', '../x', 'a')).toThrow('fileID is not a lowercase UUID');
  });
});

describe('file IDs', () => {
  it('are random UUIDs without a clientToken', () => {
    expect(newFileID()).toMatch(UUID);
    expect(newFileID()).not.toBe(newFileID());
  });

  it('are the same UUID for the same caller, project and token', () => {
    const id = idempotentFileID('cognito:sub-alice', 'p1', 'tok');

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idempotentFileID('cognito:sub-alice', 'p1', 'tok')).toBe(id);
  });

  it.each([
    ['another caller', ['cognito:sub-bob', 'p1', 'tok']],
    ['another project', ['cognito:sub-alice', 'p2', 'tok']],
    ['another token', ['cognito:sub-alice', 'p1', 'tok2']],
    ['the same characters split differently', ['cognito:sub-alicep', '1', 'tok']],
  ] as const)('differ for %s', (_case, [caller, project, token]) => {
    expect(idempotentFileID(caller, project, token)).not.toBe(idempotentFileID('cognito:sub-alice', 'p1', 'tok'));
  });
});

describe('uploaderFrom', () => {
  it('names a user-pool caller by user name and scopes tokens by sub', () => {
    expect(uploaderFrom(userPoolCaller('alice', ['admins']))).toEqual({ uploadedBy: 'alice', idempotencyKey: 'cognito:sub-alice' });
  });

  it('names an IAM caller by ARN', () => {
    const arn = iamCaller('importer').userArn;

    expect(uploaderFrom(iamCaller('importer'))).toEqual({ uploadedBy: arn, idempotencyKey: `iam:${arn}` });
  });

  it('names an API-key caller api-key', () => {
    expect(uploaderFrom(apiKeyCaller())).toEqual({ uploadedBy: 'api-key', idempotencyKey: 'api-key' });
  });

  it.each([
    ['a Lambda-authorizer identity', { resolverContext: { user: randomUUID() } }],
    ['an OIDC identity', { sub: 'x', issuer: 'https://idp', claims: {} }],
    ['a string', 'alice'],
  ])('refuses %s (Unauthorized)', (_case, identity) => {
    expect(() => uploaderFrom(identity)).toThrow(FileServiceError);
    expect(() => uploaderFrom(identity)).toThrow(expect.objectContaining({ errorType: 'Unauthorized' }));
  });
});
