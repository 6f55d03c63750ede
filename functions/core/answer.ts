import { isFileServiceError, unexpectedFailureMessage, type ErrorType } from './errors';

/**
 * How the AppSync data-source Lambdas answer: with data, never by throwing.
 * AppSync reports every error a Lambda throws as `Lambda:Unhandled`, which
 * would hide the errorType clients branch on; the resolver turns `{error}`
 * into a GraphQL error with that type and message.
 */
export type ErrorAnswer = { error: { type: ErrorType; message: string } };

/** `failure` tells the caller what an unexpected failure left behind, e.g. "The upload failed unexpectedly and nothing was stored". */
export async function answerWithData<T>(operation: string, requestId: string, failure: string, work: () => Promise<T>): Promise<T | ErrorAnswer> {
  try {
    return await work();
  } catch (error) {
    if (isFileServiceError(error)) return { error: { type: error.errorType, message: error.message } };
    console.error(`${operation} failed unexpectedly`, { requestId, error });
    return { error: { type: 'InternalFailure', message: unexpectedFailureMessage(requestId, failure) } };
  }
}
