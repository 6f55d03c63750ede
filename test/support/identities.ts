/** ctx.identity as AppSync shapes it for each auth mode. */
import { userPoolIdentity } from '../../functions/core/user-pool-identity';

export const apiKeyCaller = () => null;

export function userPoolCaller(username: string, groups: string[] | null = []) {
  const sub = `sub-${username}`;
  const claims = {
    sub,
    iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local',
    'cognito:username': username,
    ...(groups ? { 'cognito:groups': groups } : {}),
    token_use: 'access',
  };
  return userPoolIdentity(claims, '127.0.0.1');
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
