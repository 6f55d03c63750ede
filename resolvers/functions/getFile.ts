import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { File, QueryFileArgs } from '../../generated/graphql';
import type { ProjectStash } from '../lib/pipeline';
import { failOnTableError } from '../lib/table-errors';

type FileRow = File & { status?: string };

/**
 * Read consistently: announceFileUploaded runs right after the REST Lambda's
 * PutItem, where an eventually consistent read may miss the row (and the
 * subscribers their event); a client that has just uploaded expects its file.
 */
export function request(ctx: Context<QueryFileArgs>) {
  return ddb.get<FileRow>({ key: { fileID: ctx.args.fileID }, consistentRead: true });
}

/** Only available files exist for readers; the project found is the one to authorize. */
export function response(ctx: Context<QueryFileArgs>) {
  failOnTableError(ctx);
  const row = ctx.result as FileRow | null;
  const file = row && row.status === 'AVAILABLE' ? row : null;
  Object.assign(ctx.stash as ProjectStash, { projectID: file ? file.projectID : null, projectFromRow: true });
  return file;
}
