import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { File, FileConnection, QueryFilesByProjectArgs } from '../../generated/graphql';
import { fileTable } from '../../infra/api-definition';
import { failOnTableError } from '../lib/table-errors';
import { fail } from '../lib/errors';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/**
 * Our nextToken is the data source's token prefixed with the project it
 * belongs to, so a token from one project's listing is refused for another.
 */
const tokenPrefix = (projectID: string): string => `${util.base64Encode(projectID)}.`;

export function request(ctx: Context<QueryFilesByProjectArgs>) {
  const { projectID, nextToken } = ctx.args;
  const limit = ctx.args.limit ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > MAX_LIMIT) {
    fail(`limit must be between 1 and ${MAX_LIMIT}; got ${limit}.`, 'ValidationError');
  }
  const prefix = tokenPrefix(projectID);
  if (nextToken && !nextToken.startsWith(prefix)) {
    fail('nextToken does not belong to this listing: pass the nextToken returned by filesByProject for the same projectID.', 'ValidationError');
  }
  return ddb.query<File>({
    index: fileTable.byProjectIndex.name,
    query: { projectID: { eq: projectID } },
    scanIndexForward: false,
    limit,
    nextToken: nextToken ? nextToken.slice(prefix.length) : null,
  });
}

// A token it cannot decrypt (forged, or issued by another API or key); one that decrypts to a start key of
// another project (our prefix spliced onto another listing's token) fails the key condition instead.
const BAD_TOKEN_ERRORS = ['DynamoDB:UserIllegalArgumentException', 'DynamoDB:DynamoDbException'];

export function response(ctx: Context<QueryFilesByProjectArgs>): FileConnection {
  if (ctx.error && ctx.args.nextToken && BAD_TOKEN_ERRORS.includes(ctx.error.type)) {
    fail('nextToken is not valid: pass the nextToken exactly as filesByProject returned it.', 'ValidationError');
  }
  failOnTableError(ctx);
  const { items, nextToken } = ctx.result as { items: File[]; nextToken?: string | null };
  return {
    items,
    nextToken: nextToken ? tokenPrefix(ctx.args.projectID) + nextToken : null,
  };
}
