import { describe, expect, it } from 'vitest';
import { identityFromClaims } from '../../functions/rest-upload/jwt-identity';

const claims = (groups: string | string[]) => ({ sub: 's-1', iss: 'https://issuer', 'cognito:username': 'alice', 'cognito:groups': groups });

describe('identityFromClaims (the REST caller, from the JWT authorizer)', () => {
  it.each([
    ['the HTTP API flattening "[a b]"', '[project-1 admins]', ['project-1', 'admins']],
    ['a JSON array', ['project-1', 'admins'], ['project-1', 'admins']],
    ['a group name holding a comma, which Cognito allows', '[readers,admins]', ['readers,admins']],
  ])('reads cognito:groups from %s', (_case, groups, expected) => {
    expect(identityFromClaims(claims(groups), '10.0.0.1')).toEqual({
      sub: 's-1',
      issuer: 'https://issuer',
      username: 'alice',
      claims: claims(groups),
      sourceIp: ['10.0.0.1'],
      defaultAuthStrategy: 'ALLOW',
      groups: expected,
    });
  });
});
