import type { Context, LambdaRequest } from '@aws-appsync/utils';
import { invokeAsDirectResolver, lambdaAnswer } from '../lib/lambda';

/** What functions/large-upload answers for each field it serves. */
const answerKeys: Record<string, string> = { createUploadUrl: 'ticket', completeUpload: 'file', abortUpload: 'fileID' };

/** Sends the large-upload Lambda the field's event; it dispatches on info.fieldName. */
export function request(ctx: Context): LambdaRequest {
  return invokeAsDirectResolver(ctx);
}

export function response(ctx: Context) {
  return lambdaAnswer(ctx, answerKeys[ctx.info.fieldName]);
}
