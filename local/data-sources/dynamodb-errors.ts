/**
 * DynamoDB errors as AppSync's DynamoDB data source hands them to resolver
 * code (`ctx.error`): AppSync calls DynamoDB with the AWS SDK for Java v2, so
 * an error the SDK models keeps its exception name, any other (e.g.
 * ValidationException, AccessDeniedException) is a `DynamoDbException`, and
 * the message carries the SDK's `(Service: …, Status Code: …, Request ID: …)`.
 * A nextToken AppSync cannot decrypt fails before DynamoDB is called.
 */
import type { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import type { DataSourceError } from '../appsync-js/execute-resolver';

/** The SDK for Java v2's modeled DynamoDB exceptions, by the name the wire uses (→ the class name where they differ). */
const MODELED: Record<string, string> = Object.fromEntries(
  [
    'ConditionalCheckFailedException',
    'ItemCollectionSizeLimitExceededException',
    'LimitExceededException',
    'ProvisionedThroughputExceededException',
    'ResourceInUseException',
    'ResourceNotFoundException',
    'TransactionCanceledException',
    'TransactionConflictException',
    'TransactionInProgressException',
    'IdempotentParameterMismatchException',
    'DuplicateItemException',
  ].map((name) => [name, name]),
);
MODELED.InternalServerError = 'InternalServerErrorException';
MODELED.RequestLimitExceeded = 'RequestLimitExceededException';

export function appsyncDynamoDBError(error: DynamoDBServiceException): DataSourceError {
  const exception = MODELED[error.name] ?? 'DynamoDbException';
  const { httpStatusCode = 400, requestId = 'unknown' } = error.$metadata;
  return { type: `DynamoDB:${exception}`, message: `${error.message} (Service: DynamoDb, Status Code: ${httpStatusCode}, Request ID: ${requestId})` };
}

/** What AppSync answers for a nextToken that is forged, stale (another key) or for another listing. */
export const invalidPaginationToken: DataSourceError = {
  type: 'DynamoDB:UserIllegalArgumentException',
  message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
};
