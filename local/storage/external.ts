/**
 * Storage that is already running elsewhere — another DynamoDB and S3, e.g.
 * a real AWS account's table and bucket (the stack's TableName and
 * BucketName outputs) — named by environment variables:
 *   DYNAMODB_ENDPOINT, S3_ENDPOINT   where they answer
 *   TABLE_NAME, BUCKET_NAME          the FileMetadata table and the files bucket
 *   AWS_REGION                       (default us-east-1)
 *   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * None of them set: undefined, and the server embeds its own.
 */
import type { StorageLocation } from './index';

type Env = Record<string, string | undefined>;

const NAMES = ['DYNAMODB_ENDPOINT', 'S3_ENDPOINT', 'TABLE_NAME', 'BUCKET_NAME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

export function externalStorageFromEnv(env: Env): StorageLocation | undefined {
  if (!env.DYNAMODB_ENDPOINT && !env.S3_ENDPOINT) return undefined;
  const missing = NAMES.filter((name) => !env[name]?.trim());
  if (missing.length) {
    throw new Error(`To use external storage, also set ${missing.join(', ')} (or unset DYNAMODB_ENDPOINT and S3_ENDPOINT to embed storage).`);
  }
  const value = (name: (typeof NAMES)[number]) => env[name]!.trim();
  return {
    region: env.AWS_REGION?.trim() || 'us-east-1',
    dynamodbEndpoint: value('DYNAMODB_ENDPOINT'),
    s3Endpoint: value('S3_ENDPOINT'),
    tableName: value('TABLE_NAME'),
    bucketName: value('BUCKET_NAME'),
    credentials: { accessKeyId: value('AWS_ACCESS_KEY_ID'), secretAccessKey: value('AWS_SECRET_ACCESS_KEY') },
  };
}
