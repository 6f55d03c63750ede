/**
 * Telling onFileUploaded subscribers about a file POST /upload stored:
 * announceFileUploaded, IAM-signed, retried with exponential backoff and
 * jitter (p-retry) when the failure may pass — the network, a timeout,
 * throttling, AppSync's 5xx, a row not yet seen. A refusal that will not pass
 * (the role may not call the field, a malformed request) is not retried. When
 * every attempt fails the file is still stored and listed; only the live event
 * is lost, and the log says so.
 */
import pRetry, { type Options } from 'p-retry';
import { AnnounceFileUploadedDocument } from '../../generated/operations';
import { GraphQLCallError, type SignedGraphQL } from '../core/signed-graphql';

export type AnnounceRetry = Pick<Options, 'retries' | 'minTimeout' | 'maxTimeout' | 'maxRetryTime' | 'randomize'>;

/** About 0.2 + 0.4 + 0.8 + 1.6 s between five attempts; at most 10 s in all, well inside the Lambda's 25 s. */
export const ANNOUNCE_RETRY: AnnounceRetry = { retries: 4, minTimeout: 200, maxTimeout: 2_000, maxRetryTime: 10_000, randomize: true };

/** Refusals that another attempt cannot change. */
const PERMANENT_ERROR_TYPES = new Set([
  'Unauthorized',
  'UnauthorizedException',
  'AccessDeniedException',
  'ValidationError',
  'BadRequestException',
  'MalformedHttpRequestException',
]);

const mayPass = (error: Error): boolean => {
  if (!(error instanceof GraphQLCallError)) return true; // network, timeout
  if (error.errorTypes.some((type) => PERMANENT_ERROR_TYPES.has(type))) return false;
  return error.status === 429 || error.status >= 500 || error.status === 200; // 200 with errors: e.g. NotFound, a row not yet visible
};

/** Resolves true once subscribers were told; false (logged) when it could not be done. Never rejects: the upload itself succeeded. */
export async function announceFileUploaded(graphql: SignedGraphQL, fileID: string, requestId: string, retry: AnnounceRetry = ANNOUNCE_RETRY): Promise<boolean> {
  try {
    await pRetry(() => graphql(AnnounceFileUploadedDocument.toString(), { fileID }), {
      ...retry,
      shouldRetry: ({ error }) => mayPass(error),
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft > 0 && mayPass(error))
          console.warn('rest-upload: announceFileUploaded failed, retrying', { fileID, requestId, attemptNumber, error: error.message });
      },
    });
    return true;
  } catch (error) {
    // The file is stored and listed either way; only the live notification is lost.
    console.error('rest-upload: the file is stored but announceFileUploaded failed', { fileID, requestId, error });
    return false;
  }
}
