/** ctx.identity as AppSync shapes it for each auth mode. */

export const apiKeyCaller = () => null;

export function userPoolCaller(username: string, groups: string[] | null = []) {
  const sub = `sub-${username}`;
  return {
    sub,
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local',
    username,
    claims: { sub, 'cognito:username': username, ...(groups ? { 'cognito:groups': groups } : {}), token_use: 'access' },
    sourceIp: ['127.0.0.1'],
    defaultAuthStrategy: 'ALLOW',
    groups,
  };
}

export function iamCaller(name = 'importer') {
  return {
    accountId: '123456789012',
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    sourceIp: ['127.0.0.1'],
    username: `AROAEXAMPLE:${name}`,
    userArn: `arn:aws:sts::123456789012:assumed-role/${name}/${name}`,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
  };
}

export const authTypeOf = (identity: unknown): string =>
  identity === null ? 'API Key Authorization' : (identity as { userArn?: string }).userArn ? 'IAM Authorization' : 'User Pool Authorization';
