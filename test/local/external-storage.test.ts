import { describe, expect, it } from 'vitest';
import { startLocalServer } from '../../local/server';
import { externalStorageFromEnv } from '../../local/storage/external';
import { objectKeys, readObject, tableRows } from '../functions/factories';
import { postGraphQL } from '../support/local-server';
import { useEmbeddedStorage } from '../support/storage';

describe('storage running elsewhere', () => {
  const elsewhere = useEmbeddedStorage();

  it('is configuration: the server started with its location stores files and rows there', async () => {
    const { close: _close, ...location } = elsewhere.storage;
    const server = await startLocalServer({ port: 0, storage: location });
    try {
      const response = await postGraphQL(
        server.graphqlUrl,
        { query: 'mutation { uploadFile(input: {projectID: "ext", fileName: "far.txt", fileType: "text", contentBase64: "ZmFy"}) { fileID s3Key } }' },
        { 'x-api-key': server.apiKey },
      );
      const { fileID, s3Key } = response.body.data.uploadFile;

      expect(await objectKeys(elsewhere, 'projects/ext/')).toEqual([s3Key]);
      expect((await readObject(elsewhere, s3Key)).bytes).toEqual(Buffer.from('far'));
      expect(await tableRows(elsewhere, 'ext')).toEqual([expect.objectContaining({ fileID, fileName: 'far.txt' })]);
    } finally {
      await server.close();
    }
  });
});

describe('externalStorageFromEnv', () => {
  const env = {
    DYNAMODB_ENDPOINT: 'https://dynamodb.eu-west-1.amazonaws.com',
    S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com',
    TABLE_NAME: 'CodeCraftFiles-FileMetadata',
    BUCKET_NAME: 'codecraftfiles-files-1',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
  };

  it('embeds storage when no endpoint is set', () => {
    expect(externalStorageFromEnv({ AWS_REGION: 'eu-west-1' })).toBeUndefined();
  });

  it('reads the location from the environment', () => {
    expect(externalStorageFromEnv(env)).toEqual({
      region: 'eu-west-1',
      dynamodbEndpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
      s3Endpoint: 'https://s3.eu-west-1.amazonaws.com',
      tableName: 'CodeCraftFiles-FileMetadata',
      bucketName: 'codecraftfiles-files-1',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
    });
  });

  it('names every missing setting', () => {
    expect(() => externalStorageFromEnv({ DYNAMODB_ENDPOINT: env.DYNAMODB_ENDPOINT, TABLE_NAME: 'T' })).toThrow(
      'To use external storage, also set S3_ENDPOINT, BUCKET_NAME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (or unset DYNAMODB_ENDPOINT and S3_ENDPOINT to embed storage).',
    );
  });
});
