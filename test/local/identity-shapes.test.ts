import { describe, expect, it } from 'vitest';
import { graphQLSigner } from '../../functions/core/signed-graphql';
import { authenticate, type AuthConfig } from '../../local/auth/authenticate';

const credentials = { accessKeyId: 'AKIALOCALEXAMPLE0001', secretAccessKey: 'local-secret' };
const claims = {
  sub: 'sub-alice',
  iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local',
  'cognito:username': 'alice',
  'cognito:groups': ['project-x'],
  token_use: 'access',
};
const config: AuthConfig = {
  apiKey: 'da2-local',
  // A stand-in for the pool's verifier: which claims a token carries is what this test is about, not how it is checked.
  verifyToken: async (token) => (token === 'alice-token' ? { ok: true, claims } : { ok: false, reason: 'invalid' }),
  account: { accountId: '000000000000', region: 'us-east-1', ...credentials },
};
const url = new URL('http://127.0.0.1:41999/graphql');
const identityOf = (authentication: Awaited<ReturnType<typeof authenticate>>) =>
  (authentication as { caller: { identity: Record<string, unknown> } }).caller.identity;

/** The keys of ctx.identity for each auth mode, as AWS's resolver context reference lists them. */
describe('ctx.identity has the fields AWS gives each auth mode', () => {
  it("IAM: the principal's ID as username (never the access key), its ARN, the account, the source IP as a list", async () => {
    const body = '{"query":"{ __typename }"}';
    const signed = await graphQLSigner(url, { region: 'us-east-1', credentials })(body);
    const headers = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));

    const identity = identityOf(await authenticate(config, { method: 'POST', url, headers, body }, '10.0.0.7'));

    expect(Object.keys(identity).sort()).toEqual([
      'accountId',
      'cognitoIdentityAuthProvider',
      'cognitoIdentityAuthType',
      'cognitoIdentityId',
      'cognitoIdentityPoolId',
      'sourceIp',
      'userArn',
      'username',
    ]);
    expect(identity).toMatchObject({
      accountId: '000000000000',
      sourceIp: ['10.0.0.7'],
      userArn: 'arn:aws:iam::000000000000:user/local',
      username: expect.stringMatching(/^AIDA[0-9A-F]{17}$/),
    });
  });

  it('user pools: sub, issuer, username, claims, sourceIp (a list), defaultAuthStrategy and groups', async () => {
    const identity = identityOf(await authenticate(config, { method: 'POST', url, headers: { authorization: 'alice-token' }, body: '' }, '10.0.0.8'));

    expect(Object.keys(identity).sort()).toEqual(['claims', 'defaultAuthStrategy', 'groups', 'issuer', 'sourceIp', 'sub', 'username']);
    expect(identity).toEqual({
      sub: 'sub-alice',
      issuer: claims.iss,
      username: 'alice',
      claims,
      sourceIp: ['10.0.0.8'],
      defaultAuthStrategy: 'ALLOW',
      groups: ['project-x'],
    });
  });

  it('API key: no identity (null)', async () => {
    const authentication = await authenticate(config, { method: 'POST', url, headers: { 'x-api-key': 'da2-local' }, body: '' }, '10.0.0.9');

    expect(authentication).toEqual({ ok: true, caller: { authMode: 'API_KEY', identity: null, headers: { 'x-api-key': 'da2-local' } } });
  });
});
