import type { Context } from '@aws-appsync/utils';
import type { File, MutationAnnounceFileUploadedArgs } from '../generated/graphql';
import { fail } from './lib/errors';

/** getFile reads the row; the authorization step then passes IAM callers, the only mode this field allows. */
export function request(_ctx: Context<MutationAnnounceFileUploadedArgs>) {
  return {};
}

/** Subscribers are told about stored, available files only: the row is the announcement. */
export function response(ctx: Context<MutationAnnounceFileUploadedArgs>): File {
  const file = ctx.prev.result as File | null;
  if (!file) {
    fail(`No available file has fileID ${ctx.args.fileID}: announce a file after it is stored.`, 'NotFound');
  }
  return file;
}
