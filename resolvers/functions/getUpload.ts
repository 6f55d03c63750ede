import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { ProjectStash } from '../lib/pipeline';
import { failOnTableError } from '../lib/table-errors';

interface UploadRow {
  fileID: string;
  projectID: string;
}

/** The upload's row, whatever its status, read consistently: completeUpload may follow createUploadUrl at once. */
export function request(ctx: Context) {
  const fileID = (ctx.args.input ? ctx.args.input.fileID : ctx.args.fileID) as string;
  return ddb.get<UploadRow>({ key: { fileID }, consistentRead: true });
}

/** The project found is the one to authorize. */
export function response(ctx: Context) {
  failOnTableError(ctx);
  const row = ctx.result as UploadRow | null;
  if (!row) {
    const fileID = ctx.args.input ? ctx.args.input.fileID : ctx.args.fileID;
    util.error(`No upload has fileID ${fileID}: it may have been aborted, discarded or expired. Start again with createUploadUrl.`, 'NotFound');
  }
  (ctx.stash as ProjectStash).projectID = row.projectID;
  return row;
}
