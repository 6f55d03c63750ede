import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startLocalServer } from '../../local/server';
import { storageClients } from '../../local/storage/index';
import { postGraphQL } from '../support/local-server';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();

describe('a restart on the same data directory', () => {
  it('keeps files, metadata, the API key, the token signing key and the local CA', async () => {
    const dataDir = await tempDir('restart');
    const content = Buffer.from('kept across restarts');

    const first = await startLocalServer({ port: 0, dataDir });
    const token = await first.signToken({ username: 'alice', groups: ['project-kept'] });
    const uploaded = await postGraphQL(
      first.graphqlUrl,
      {
        query: 'mutation U($in: UploadFileInput!) { uploadFile(input: $in) { fileID s3Key } }',
        variables: { in: { projectID: 'kept', fileName: 'kept.txt', fileType: 'text', contentBase64: content.toString('base64') } },
      },
      { authorization: token },
    );
    const { fileID, s3Key } = uploaded.body.data.uploadFile;
    const before = { apiKey: first.apiKey, caCert: first.caCert };
    await first.close();

    const second = await startLocalServer({ port: 0, dataDir });
    try {
      expect({ apiKey: second.apiKey, caCert: second.caCert }).toEqual(before);
      const listed = await postGraphQL(
        second.graphqlUrl,
        { query: '{ filesByProject(projectID: "kept") { items { fileID fileName size } } }' },
        { authorization: token },
      );
      expect(listed).toEqual({ status: 200, body: { data: { filesByProject: { items: [{ fileID, fileName: 'kept.txt', size: content.length }] } } } });
      const clients = storageClients(second.storage);
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: second.storage.bucketName, Key: s3Key }));
      expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(content);
      clients.s3.destroy();
      clients.dynamodb.destroy();
    } finally {
      await second.close();
    }
  });
});
