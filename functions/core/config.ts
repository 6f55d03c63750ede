/**
 * The functions' configuration, read from the environment in one place.
 *
 * Storage endpoints are deliberately absent: the AWS SDK v3 reads
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 (and AWS_ENDPOINT_URL) on
 * its own, so pointing the same bundle at dynalite and s3rver, or at AWS, is
 * configuration only. Region and credentials likewise come from the SDK's
 * standard chain (AWS_REGION, the Lambda role).
 */

export interface FunctionConfig {
  /** FILES_TABLE: the FileMetadata table. */
  filesTable: string;
  /** FILES_BUCKET: the bucket holding `projects/{projectID}/…`. */
  filesBucket: string;
  /** S3_FORCE_PATH_STYLE=true: path-style URLs, for S3-compatible servers such as s3rver. */
  s3ForcePathStyle: boolean;
}

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  // A deployment mistake, not a caller's: the handler reports it as InternalFailure and logs this.
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

/** Reads the configuration; `overrides` lets tests replace any field. */
export function readConfig(env: Env = process.env, overrides: Partial<FunctionConfig> = {}): FunctionConfig {
  return {
    filesTable: overrides.filesTable ?? required(env, 'FILES_TABLE'),
    filesBucket: overrides.filesBucket ?? required(env, 'FILES_BUCKET'),
    s3ForcePathStyle: overrides.s3ForcePathStyle ?? env.S3_FORCE_PATH_STYLE === 'true',
  };
}

export interface AnnounceConfig {
  /** GRAPHQL_URL: the AppSync endpoint, for IAM-signed calls such as announceFileUploaded. */
  graphqlUrl: string;
  /** AWS_REGION: the region requests are signed for. */
  region: string;
}

export function readAnnounceConfig(env: Env = process.env): AnnounceConfig {
  return { graphqlUrl: required(env, 'GRAPHQL_URL'), region: required(env, 'AWS_REGION') };
}
