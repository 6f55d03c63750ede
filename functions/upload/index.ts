/**
 * The upload Lambda: the data source behind Mutation.uploadFile.
 * It answers with data, never by throwing (functions/core/answer.ts).
 */
import type { MutationUploadFileArgs } from '../../generated/graphql';
import { answerWithData, type ErrorAnswer } from '../core/answer';
import { uploaderFrom } from '../core/uploader';
import { readConfig } from '../core/config';
import type { LambdaContext, ResolverEvent } from '../core/resolver-event';
import { createStores, type StoredFile } from '../core/storage';
import { uploadFile, type UploadDeps } from '../core/upload-file';

export type UploadEvent = ResolverEvent<MutationUploadFileArgs>;

export type UploadOutcome = { file: StoredFile; error?: never } | (ErrorAnswer & { file?: never });

// One set of clients per container, created on first use so that a missing
// setting is reported per request (and logged), not as a failed cold start.
let deps: UploadDeps | undefined;
const containerDeps = (): UploadDeps => (deps ??= createStores(readConfig()));

/** The handler with its dependencies passed in: the exported `handler` binds the container's. */
export function handleUpload(event: UploadEvent, context: LambdaContext, getDeps: () => UploadDeps): Promise<UploadOutcome> {
  return answerWithData('uploadFile', context.awsRequestId, 'The upload failed unexpectedly and nothing was stored', async () => ({
    file: await uploadFile(event.arguments?.input, uploaderFrom(event.identity), getDeps()),
  }));
}

export const handler = (event: UploadEvent, context: LambdaContext): Promise<UploadOutcome> => handleUpload(event, context, containerDeps);
