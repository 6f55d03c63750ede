import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { File } from '../../generated/graphql';
import { fail, failWith, type LambdaRefusal } from '../lib/errors';

/** The parent File as its resolver returned it: a row (with status) or a Lambda's answer. */
type Source = File & { status?: string };

/** One payload of a BatchInvoke: the download Lambda signs a page of files in one invocation. */
export function request(ctx: Context): LambdaRequest {
  const source = ctx.source as Source;
  return {
    operation: 'BatchInvoke',
    payload: { source: { s3Key: source.s3Key, fileName: source.fileName, contentType: source.contentType, status: source.status } },
  };
}

/** ctx.result is this file's element of the batch's answer. */
export function response(ctx: Context) {
  if (ctx.error) {
    failWith(ctx.error);
  }
  const answer = ctx.result as { url?: string | null; error?: LambdaRefusal };
  if (answer.error) {
    fail(answer.error.message, answer.error.type);
  }
  return answer.url;
}
