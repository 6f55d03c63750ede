import { util } from '@aws-appsync/utils';
import type { ErrorType } from '../../generated/graphql';

/**
 * Every refusal a resolver raises goes through here: its errorType is one of
 * the schema's ErrorType values, so a misspelt type does not compile. (Lint
 * refuses util.error anywhere else under resolvers/.)
 */
export function fail(message: string, errorType: ErrorType): never {
  return util.error(message, errorType);
}

/** A data source's own failure (ctx.error, e.g. `Lambda:Unhandled`), passed on as AppSync reports it. */
export function failWith(error: { message: string; type: string }): never {
  return util.error(error.message, error.type);
}

/** How the Lambdas answer a refusal: as data, because AppSync reports anything they throw as `Lambda:Unhandled`. */
export interface LambdaRefusal {
  type: ErrorType;
  message: string;
}
