/** The delete Lambda: the data source behind deleteFile, after the pipeline has checked the caller's access to the file's project. */
import type { MutationDeleteFileArgs } from '../../generated/graphql';
import { answerWithData } from '../core/answer';
import { lambdaEntry } from '../core/lambda-entry';
import { deleteFile } from '../core/delete-file';
import type { LambdaContext, ResolverEvent } from '../core/resolver-event';
import { storesFrom, type MetadataStore, type ObjectStore } from '../core/storage';

export type DeleteFileEvent = ResolverEvent<MutationDeleteFileArgs>;
type DeleteDeps = { objects: ObjectStore; metadata: MetadataStore };

export function handleDeleteFile(event: DeleteFileEvent, context: LambdaContext, getDeps: () => DeleteDeps) {
  return answerWithData('deleteFile', context.awsRequestId, 'The delete failed unexpectedly', async () => ({
    file: await deleteFile(event.arguments?.fileID, getDeps()),
  }));
}

export const { createHandler, handler } = lambdaEntry((env): DeleteDeps => storesFrom(env), handleDeleteFile);
