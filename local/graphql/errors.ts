/**
 * Errors in AppSync's wire shape: {path, data, errorType, errorInfo,
 * locations, message}. Errors the API did not mean to raise are masked:
 * the caller gets a generic message, the console gets the details.
 */
import { GraphQLError } from 'graphql';
import type { FieldError } from '../appsync-js/signals';

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

const INTERNAL = { errorType: 'InternalFailure', message: 'An internal error occurred. Nothing was changed by the failed field; retry, and check the server log if it persists.' };

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
      return { ...base, message: original.message, errorType: INTERNAL.errorType };
    }
    console.error('[graphql] unexpected error in', error.path?.join('.') ?? 'request', original);
    return { ...base, ...INTERNAL };
  }
  return { ...base, message: error.message, errorType: fallbackType };
}

export const requestError = (message: string, errorType: string): AppSyncError => ({
  path: null,
  data: null,
  errorType,
  errorInfo: null,
  locations: null,
  message,
});
