import type { Context } from '@aws-appsync/utils';
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

/** The project found is the one to authorize; a missing row is invokeLargeUpload's to report, as for an outsider. */
export function response(ctx: Context) {
  failOnTableError(ctx);
  const row = ctx.result as UploadRow | null;
  Object.assign(ctx.stash as ProjectStash, { projectID: row ? row.projectID : null, projectFromRow: true });
  return row;
}
