import type { Context } from '@aws-appsync/utils';
import { fail } from './errors';

/**
 * AppSync hands a DynamoDB failure to resolver code as `DynamoDB:<Exception>`
 * (ctx.error.type), which is not one of the schema's errorTypes: clients get
 * InternalFailure, and the details stay in the service log.
 */
export function failOnTableError(ctx: Context): void {
  if (ctx.error) {
    fail(`The file table could not be used (${ctx.error.type}). Retry; if it persists, the service log has the details.`, 'InternalFailure');
  }
}
