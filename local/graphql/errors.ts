/**
 * Errors in AppSync's wire shape: {path, data, errorType, errorInfo,
 * locations, message}. Errors the API did not mean to raise are masked:
 * the caller gets a generic message, the console gets the details.
 */
import { GraphQLError } from 'graphql';
import type { FieldError } from '../appsync-js/signals';

/**
 * The errorTypes the local server gives of its own accord — AppSync's names
 * for the same refusals — besides the schema's ErrorType, which resolvers raise.
 */
export type ProtocolErrorType =
  // HTTP and GraphQL requests
  | 'UnauthorizedException'
  | 'MalformedHttpRequestException'
  | 'ValidationError'
  | 'PayloadTooLarge'
  | 'Unauthorized'
  | 'QueryDepthLimitReached'
  | 'QueryTooLarge'
  | 'ResolverExecutionLimitReached'
  | 'ExecutionTimeout'
  | 'InvalidationLimitExceeded'
  | 'BadRequest'
  | 'NotFound'
  | 'InternalFailure'
  // The real-time protocol
  | 'DuplicatedOperationError'
  | 'MaxSubscriptionsReachedError'
  | 'MalformedRequest'
  | 'UnsupportedOperation';

/** The one answer to a failure of the server's own: the details go to its log, never to the caller. */
export const internalFailure = {
  errorType: 'InternalFailure',
  message: 'An internal error occurred. Retry, and check the server log if it persists.',
} as const satisfies { errorType: ProtocolErrorType; message: string };

export interface AppSyncError {
  path: readonly (string | number)[] | null;
  data: unknown;
  errorType: string;
  errorInfo: unknown;
  locations: { line: number; column: number; sourceName: null }[] | null;
  message: string;
}

/** An error a resolver or the server raised on purpose, with the errorType clients branch on. */
export class FieldResolutionError extends Error {
  constructor(readonly fieldError: Required<Pick<FieldError, 'message'>> & FieldError) {
    super(fieldError.message);
  }
}

export const unauthorizedField = (fieldName: string, typeName: string) =>
  new FieldResolutionError({ message: `Not Authorized to access ${fieldName} on type ${typeName}`, errorType: 'Unauthorized' });

export function toAppSyncError(error: GraphQLError, fallbackType = 'ValidationError'): AppSyncError {
  const locations = error.locations?.map(({ line, column }) => ({ line, column, sourceName: null })) ?? null;
  const base = { path: error.path ?? null, locations, data: null, errorInfo: null };
  const original = error.originalError;
  if (original instanceof FieldResolutionError) {
    const { message, errorType, data, errorInfo } = original.fieldError;
    return { ...base, message, errorType: errorType ?? 'Unknown', data: data ?? null, errorInfo: errorInfo ?? null };
  }
  if (original && !(original instanceof GraphQLError)) {
    // graphql-js's own complaint about data that breaks the schema is safe to show; anything else is masked.
    if (original.message.startsWith('Cannot return null for non-nullable field')) {
      return { ...base, message: original.message, errorType: internalFailure.errorType };
    }
    console.error('[graphql] unexpected error in', error.path?.join('.') ?? 'request', original);
    return { ...base, ...internalFailure };
  }
  return { ...base, message: error.message, errorType: fallbackType };
}

export const requestError = (message: string, errorType: ProtocolErrorType): AppSyncError => ({
  path: null,
  data: null,
  errorType,
  errorInfo: null,
  locations: null,
  message,
});
