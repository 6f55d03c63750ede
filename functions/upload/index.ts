/**
 * The upload Lambda: the data source behind Mutation.uploadFile.
 * It answers with data, never by throwing (functions/core/answer.ts).
 */
import type { MutationUploadFileArgs } from '../../generated/graphql';
import { answerWithData, type ErrorAnswer } from '../core/answer';
import { uploaderFrom } from '../core/uploader';
import { lambdaEntry } from '../core/lambda-entry';
import type { LambdaContext, ResolverEvent } from '../core/resolver-event';
import { storesFrom, type StoredFile } from '../core/storage';
import { uploadFile, type UploadDeps } from '../core/upload-file';

export type UploadEvent = ResolverEvent<MutationUploadFileArgs>;

export type UploadOutcome = { file: StoredFile; error?: never } | (ErrorAnswer & { file?: never });

/** The handler with its dependencies passed in: the exported `handler` binds the container's. */
export function handleUpload(event: UploadEvent, context: LambdaContext, getDeps: () => UploadDeps): Promise<UploadOutcome> {
  return answerWithData('uploadFile', context.awsRequestId, 'The upload failed unexpectedly and nothing was stored', async () => ({
    file: await uploadFile(event.arguments?.input, uploaderFrom(event.identity), getDeps()),
  }));
}

export const { createHandler, handler } = lambdaEntry((env): UploadDeps => storesFrom(env), handleUpload);
