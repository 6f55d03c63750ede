import { awsEnvironment, lambdaEnvironment } from '../functions/core/config';
import type { StorageLocation } from './storage/index';

/**
 * The environment of the local server's Lambda containers, a map of their
 * own (process.env is left alone): the settings CDK writes for them, through
 * the same writer, plus what the Lambda runtime provides on AWS (region,
 * credentials: the storage's key pair) and the storage's endpoints. A missing
 * setting throws here, at start-up.
 */
export function localLambdaEnvironment(storage: StorageLocation, graphqlUrl?: string): Record<string, string> {
  return {
    ...lambdaEnvironment({ filesTable: storage.tableName, filesBucket: storage.bucketName, s3ForcePathStyle: true, graphqlUrl }),
    ...awsEnvironment({ region: storage.region, credentials: storage.credentials, endpoints: { dynamodb: storage.dynamodbEndpoint, s3: storage.s3Endpoint } }),
  };
}
