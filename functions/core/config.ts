/**
 * The Lambdas' settings contract: the environment variable names, the writer
 * CDK and the local runtime fill a Lambda's environment with, the readers the
 * handlers use, and the timeout. A new setting is added here, once.
 *
 * A handler reads the environment it is given (lambda-entry.ts): on AWS
 * process.env; in the local runtime and the tests, a map of its container's
 * own, so that two servers in one process keep their Lambdas apart.
 *
 * The storage endpoints, region and credentials are the AWS SDK's own names
 * (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, AWS_ACCESS_KEY_ID…): on AWS the
 * Lambda runtime sets region and credentials and no endpoint is set; the
 * local runtime writes all of them (awsEnvironment), pointing the same
 * bundle at dynalite and s3rver.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** How long an API function runs at most: under the 30 s AppSync and API Gateway wait for an integration. The local runtime gives its Lambdas the same deadline. */
export const FUNCTION_TIMEOUT_SECONDS = 25;

const SETTING_NAMES = {
  filesTable: 'FILES_TABLE',
  filesBucket: 'FILES_BUCKET',
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  graphqlUrl: 'GRAPHQL_URL',
} as const;

export interface FunctionConfig {
  /** FILES_TABLE: the FileMetadata table. */
  filesTable: string;
  /** FILES_BUCKET: the bucket holding `projects/{projectID}/…`. */
  filesBucket: string;
  /** S3_FORCE_PATH_STYLE=true: path-style URLs, for S3-compatible servers such as s3rver. */
  s3ForcePathStyle: boolean;
}

/** What a Lambda is deployed with: the storage every function reads, and the GraphQL endpoint for those that announce (rest-upload). */
export interface LambdaSettings extends Pick<FunctionConfig, 'filesTable' | 'filesBucket'> {
  s3ForcePathStyle?: boolean;
  graphqlUrl?: string;
}

/** The environment that carries `settings`: refuses an empty value, so a missing setting fails the synth or the local start-up, not a first invocation. */
export function lambdaEnvironment(settings: LambdaSettings): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [field, value] of Object.entries(settings) as [keyof LambdaSettings, string | boolean | undefined][]) {
    if (value === undefined || value === false) continue;
    const name = SETTING_NAMES[field];
    if (typeof value === 'string' && !value.trim()) throw new Error(`The Lambda setting ${name} (${field}) is empty`);
    environment[name] = String(value);
  }
  return environment;
}

/** What the Lambda runtime and the account provide on AWS, which the local runtime must write itself. */
export interface AwsSettings {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  endpoints: { dynamodb: string; s3: string };
}

export function awsEnvironment({ region, credentials, endpoints }: AwsSettings): Record<string, string> {
  const environment = {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
  };
  for (const [name, value] of Object.entries(environment)) if (!value?.trim()) throw new Error(`The Lambda setting ${name} is empty`);
  return environment;
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  // A deployment mistake, not a caller's: the handler reports it as InternalFailure and logs this.
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

/** Reads the configuration; `overrides` lets tests replace any field. */
export function readConfig(env: Env, overrides: Partial<FunctionConfig> = {}): FunctionConfig {
  return {
    filesTable: overrides.filesTable ?? required(env, SETTING_NAMES.filesTable),
    filesBucket: overrides.filesBucket ?? required(env, SETTING_NAMES.filesBucket),
    s3ForcePathStyle: overrides.s3ForcePathStyle ?? env[SETTING_NAMES.s3ForcePathStyle] === 'true',
  };
}

export interface AnnounceConfig {
  /** GRAPHQL_URL: the AppSync endpoint, for IAM-signed calls such as announceFileUploaded. */
  graphqlUrl: string;
  /** AWS_REGION: the region requests are signed for. */
  region: string;
}

export function readAnnounceConfig(env: Env): AnnounceConfig {
  return { graphqlUrl: required(env, SETTING_NAMES.graphqlUrl), region: required(env, 'AWS_REGION') };
}

/**
 * An SDK client's region, endpoint and credentials from `env`, read as the
 * SDK reads them from process.env; a field `env` lacks is left to the SDK's
 * own defaults. Credentials are read at each call, as fromEnv does.
 */
export function awsClientConfig(env: Env, service: 'DYNAMODB' | 'S3') {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  return {
    ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(env.AWS_ACCESS_KEY_ID ? { credentials: envCredentials(env) } : {}),
  };
}

export const envCredentials = (env: Env) => async () => ({
  accessKeyId: required(env, 'AWS_ACCESS_KEY_ID'),
  secretAccessKey: required(env, 'AWS_SECRET_ACCESS_KEY'),
  ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
});
