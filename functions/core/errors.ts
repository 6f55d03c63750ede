/**
 * The error catalogue: every refusal the file service gives, with the HTTP
 * status it maps to. GraphQL clients branch on `errorType`; the REST proxy
 * reuses `httpStatus`. Messages are written for the person who sent the
 * request: what was wrong and what to do, never internal details. The types
 * are the schema's ErrorType enum: the map must name each, and only those.
 */
import type { ErrorType } from '../../generated/graphql';

export type { ErrorType };

export const errorStatus = {
  ValidationError: 400,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  // 403: the caller is known but may not do this. Missing or invalid
  // credentials are refused (401) by AppSync / API Gateway before any code runs.
  Unauthorized: 403,
  NotFound: 404,
  Conflict: 409,
  InternalFailure: 500,
} as const satisfies Record<ErrorType, number>;

export class FileServiceError extends Error {
  override readonly name = 'FileServiceError';

  constructor(
    readonly errorType: ErrorType,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get httpStatus(): number {
    return errorStatus[this.errorType];
  }
}

export const isFileServiceError = (error: unknown): error is FileServiceError => error instanceof FileServiceError;

/** What a caller hears when an upload fails for a reason of ours: it is safe to retry, and the request ID finds the log. */
export const unexpectedFailureMessage = (requestId: string, what = 'The upload failed unexpectedly and nothing was stored'): string =>
  `${what}; retry, and report requestId ${requestId} if it persists.`;
