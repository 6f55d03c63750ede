/**
 * The upload Lambda: the data source behind Mutation.uploadFile.
 *
 * It answers with data, never by throwing: AppSync reports every error a
 * Lambda throws as `Lambda:Unhandled`, which would hide the errorType clients
 * branch on. resolvers/functions/invokeUpload.ts turns `{ error }` into a
 * GraphQL error with that type and message.
 */
import type { File, MutationUploadFileArgs } from '../../generated/graphql';
import { callerFrom } from '../core/caller';
import { readConfig } from '../core/config';
import { isFileServiceError, unexpectedFailureMessage, type ErrorType } from '../core/errors';
import { createStores } from '../core/storage';
import { uploadFile, type UploadDeps } from '../core/upload-file';

/** The event a direct Lambda resolver receives (what invokeUpload sends). */
export interface UploadEvent {
  arguments: MutationUploadFileArgs;
  identity: unknown;
  source: unknown;
  request: { headers: Record<string, string | undefined>; domainName: string | null };
  info: { fieldName: string; parentTypeName: string; variables: Record<string, unknown>; selectionSetList?: string[] };
  prev: unknown;
  stash: Record<string, unknown>;
}

export interface UploadContext {
  awsRequestId: string;
}

export type UploadOutcome = { file: File; error?: never } | { file?: never; error: { type: ErrorType; message: string } };

// One set of clients per container, created on first use so that a missing
// setting is reported per request (and logged), not as a failed cold start.
let deps: UploadDeps | undefined;
const containerDeps = (): UploadDeps => (deps ??= createStores(readConfig()));

/** The handler with its dependencies passed in: the exported `handler` binds the container's. */
export async function handleUpload(event: UploadEvent, context: UploadContext, getDeps: () => UploadDeps): Promise<UploadOutcome> {
  try {
    const caller = callerFrom(event.identity);
    return { file: await uploadFile(event.arguments?.input, caller, getDeps()) };
  } catch (error) {
    if (isFileServiceError(error)) return { error: { type: error.errorType, message: error.message } };
    console.error('uploadFile failed unexpectedly', { requestId: context.awsRequestId, error });
    return {
      error: {
        type: 'InternalFailure',
        message: unexpectedFailureMessage(context.awsRequestId),
      },
    };
  }
}

export const handler = (event: UploadEvent, context: UploadContext): Promise<UploadOutcome> => handleUpload(event, context, containerDeps);
