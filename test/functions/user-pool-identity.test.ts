import { describe, expect, it } from 'vitest';
import { userPoolIdentity } from '../../functions/core/user-pool-identity';
import { mayAccessProject, USER_POOL_AUTH } from '../../shared/project-access';

const claims = (groups: string | string[]) => ({ sub: 's-1', iss: 'https://issuer', 'cognito:username': 'alice', 'cognito:groups': groups });

describe('userPoolIdentity (the REST caller from the JWT authorizer, the GraphQL caller from its token)', () => {
  it.each([
    ['the HTTP API flattening "[a b]"', '[project-1 admins]', ['project-1', 'admins']],
    ['a JSON array', ['project-1', 'admins'], ['project-1', 'admins']],
    ['a group name holding a comma, which Cognito allows', '[readers,admins]', ['readers,admins']],
  ])('reads cognito:groups from %s', (_case, groups, expected) => {
    expect(userPoolIdentity(claims(groups), '10.0.0.1')).toEqual({
      sub: 's-1',
      issuer: 'https://issuer',
      username: 'alice',
      claims: claims(groups),
      sourceIp: ['10.0.0.1'],
      defaultAuthStrategy: 'ALLOW',
      groups: expected,
    });
  });

  it('keeps a missing sub missing, so the access rule refuses the caller (never a user called "undefined")', () => {
    const identity = userPoolIdentity({ iss: 'https://issuer', token_use: 'access', 'cognito:groups': ['project-1'] }, '10.0.0.1');

    expect(identity).toMatchObject({ sub: null, username: null, groups: ['project-1'] });
    expect(mayAccessProject(USER_POOL_AUTH, identity, '1')).toBe(false);
  });
});
