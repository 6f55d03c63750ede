import type { AppSyncIdentityCognito, AppSyncIdentityIAM } from '@aws-appsync/utils';
import { FileServiceError } from './errors';

/** Who is uploading, from the AppSync identity of the request. */
export interface Uploader {
  /** Shown as File.uploadedBy: the user name, the IAM ARN, or `api-key`. */
  uploadedBy: string;
  /** Scopes clientTokens to one caller: stable for the caller's lifetime. */
  idempotencyKey: string;
}

const isIam = (identity: object): identity is AppSyncIdentityIAM => typeof (identity as AppSyncIdentityIAM).userArn === 'string';

const isUserPool = (identity: object): identity is AppSyncIdentityCognito =>
  typeof (identity as AppSyncIdentityCognito).sub === 'string' && typeof (identity as AppSyncIdentityCognito).username === 'string';

/**
 * AppSync gives null for API-key requests, `{userArn, …}` for IAM and
 * `{sub, username, claims, groups, …}` for Cognito user pools. Any other
 * shape (OIDC, Lambda authorizer) is not an auth mode of this API.
 */
export function uploaderFrom(identity: unknown): Uploader {
  if (identity === null || identity === undefined) return { uploadedBy: 'api-key', idempotencyKey: 'api-key' };
  if (typeof identity === 'object') {
    // IAM first: an IAM identity also carries a `username` (the principal ID).
    if (isIam(identity)) return { uploadedBy: identity.userArn, idempotencyKey: `iam:${identity.userArn}` };
    // `sub` rather than the user name: it is never reassigned to another user.
    if (isUserPool(identity)) return { uploadedBy: identity.username, idempotencyKey: `cognito:${identity.sub}` };
  }
  throw new FileServiceError('Unauthorized', 'Uploads need a Cognito user-pool token, an API key or IAM credentials; this request used none of them.');
}
