/**
 * The large-upload Lambda: the data source behind createUploadUrl,
 * completeUpload and abortUpload. It signs URLs that carry its own rights,
 * so it holds object rights under `projects/` only.
 */
import type { Identity } from '@aws-appsync/utils';
import type { MutationAbortUploadArgs, MutationCompleteUploadArgs, MutationCreateUploadUrlArgs } from '../../generated/graphql';
import { isAdmin } from '../../shared/project-access';
import { answerWithData } from '../core/answer';
import { uploaderFrom } from '../core/uploader';
import { abortUpload, completeUpload, type Actor, type ManageDeps } from '../core/complete-upload';
import { lambdaEntry } from '../core/lambda-entry';
import { createUpload } from '../core/create-upload';
import { FileServiceError } from '../core/errors';
import type { LambdaContext, ResolverEvent } from '../core/resolver-event';
import { storesFrom } from '../core/storage';

export type LargeUploadEvent = ResolverEvent<Partial<MutationCreateUploadUrlArgs & MutationCompleteUploadArgs & MutationAbortUploadArgs>>;

const actorOf = (identity: unknown): Actor => ({ caller: uploaderFrom(identity), isAdmin: isAdmin(identity as Identity) });

export function handleLargeUpload(event: LargeUploadEvent, context: LambdaContext, getDeps: () => ManageDeps) {
  const field = event.info?.fieldName;
  return answerWithData(field ?? 'largeUpload', context.awsRequestId, 'The request failed unexpectedly and nothing was changed', async () => {
    switch (field) {
      case 'createUploadUrl':
        return { ticket: await createUpload(event.arguments.input, uploaderFrom(event.identity), getDeps()) };
      case 'completeUpload':
        return { file: await completeUpload(event.arguments.input, actorOf(event.identity), getDeps()) };
      case 'abortUpload':
        return { fileID: await abortUpload(event.arguments.fileID, actorOf(event.identity), getDeps()) };
      default:
        throw new FileServiceError('InternalFailure', `The large-upload function does not serve the field "${field}".`);
    }
  });
}

export const { createHandler, handler } = lambdaEntry((env): ManageDeps => storesFrom(env), handleLargeUpload);
