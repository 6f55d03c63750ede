import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { MutationUploadFileArgs } from '../../generated/graphql';
import { invokeAsDirectResolver, lambdaAnswer } from '../lib/lambda';

/** Sends the upload Lambda (functions/upload) the event a direct Lambda resolver would send. */
export function request(ctx: Context<MutationUploadFileArgs>): LambdaRequest {
  return invokeAsDirectResolver(ctx);
}

export function response(ctx: Context<MutationUploadFileArgs>) {
  return lambdaAnswer(ctx, 'file');
}
