import type { Context, LambdaRequest } from '@aws-appsync/utils';
import { invokeAsDirectResolver, lambdaAnswer } from '../lib/lambda';
import { fail } from '../lib/errors';

/** What functions/large-upload answers for each field it serves. */
const answerKeys: Record<string, string> = { createUploadUrl: 'ticket', completeUpload: 'file', abortUpload: 'fileID' };

/**
 * Sends the large-upload Lambda the field's event; it dispatches on info.fieldName. After getUpload and
 * authorizeProject, no upload row means none exists or it is not the caller's to see: both read the same.
 */
export function request(ctx: Context): LambdaRequest {
  if (ctx.info.fieldName !== 'createUploadUrl' && !ctx.prev.result) {
    const fileID = ctx.args.input ? ctx.args.input.fileID : ctx.args.fileID;
    fail(`No upload has fileID ${fileID}: it may have been aborted, discarded or expired. Start again with createUploadUrl.`, 'NotFound');
  }
  return invokeAsDirectResolver(ctx);
}

export function response(ctx: Context) {
  return lambdaAnswer(ctx, answerKeys[ctx.info.fieldName]);
}
