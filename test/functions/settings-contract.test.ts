import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { FUNCTION_TIMEOUT_SECONDS, lambdaEnvironment, readAnnounceConfig, readConfig } from '../../functions/core/config';
import { BundledFunction } from '../../infra/constructs/bundled-function';
import { invocationContext } from '../../local/data-sources/lambda';
import { startLocalServer } from '../../local/server';

const settings = {
  filesTable: 'files',
  filesBucket: 'bucket',
  s3ForcePathStyle: true,
  graphqlUrl: 'https://example.appsync-api.eu-west-1.amazonaws.com/graphql',
};

describe('the Lambda settings contract (functions/core/config.ts)', () => {
  it('writes the names its readers read', () => {
    const environment = lambdaEnvironment(settings);
    expect(readConfig(environment)).toEqual({ filesTable: 'files', filesBucket: 'bucket', s3ForcePathStyle: true });
    expect(readAnnounceConfig({ ...environment, AWS_REGION: 'eu-west-1' })).toEqual({ graphqlUrl: settings.graphqlUrl, region: 'eu-west-1' });
  });

  it('gives a local invocation the time CDK gives the function', () => {
    const remaining = invocationContext('restUpload').getRemainingTimeInMillis();
    expect(remaining).toBeLessThanOrEqual(FUNCTION_TIMEOUT_SECONDS * 1000);
    expect(remaining).toBeGreaterThan(FUNCTION_TIMEOUT_SECONDS * 1000 - 1000);
  });

  it('refuses a missing setting at synth, not at the first invocation', () => {
    const stack = new Stack(new App(), 'Settings');
    expect(() => new BundledFunction(stack, 'Upload', { lambda: 'upload', description: 'upload', settings: { ...settings, filesBucket: '' } })).toThrow(
      'The Lambda setting FILES_BUCKET (filesBucket) is empty',
    );
  });

  it('refuses a missing setting when the local server starts', async () => {
    const storage = {
      region: 'us-east-1',
      dynamodbEndpoint: 'http://127.0.0.1:9',
      s3Endpoint: 'http://127.0.0.1:9',
      tableName: ' ',
      bucketName: 'bucket',
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
    };
    await expect(startLocalServer({ port: 0, storage })).rejects.toThrow('The Lambda setting FILES_TABLE (filesTable) is empty');
  });
});
