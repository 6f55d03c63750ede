/**
 * Two uploads with one clientToken at the same moment, over the local API
 * (embedded storage enforcing If-None-Match as S3 does): exactly one file;
 * the loser gets Conflict when its bytes differ, the winner's file when
 * they are the same.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UploadFileDocument } from '../../generated/operations';
import { storageClients } from '../../local/storage/index';
import { graphqlAs } from '../support/direct-upload';
import { useLocalServer } from '../support/local-server';

const local = useLocalServer();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function race(fileNames: [string, string], contents: [Buffer, Buffer]) {
  const { server } = local;
  const call = graphqlAs(server.graphqlUrl, { 'x-api-key': server.apiKey });
  const projectID = `race-${randomUUID().slice(0, 8)}`;
  const clientToken = randomUUID();
  const answers = await Promise.all(
    contents.map((bytes, i) =>
      call(UploadFileDocument, { input: { projectID, fileName: fileNames[i], fileType: 'bin', clientToken, contentBase64: bytes.toString('base64') } }),
    ),
  );
  const clients = storageClients(server.storage);
  try {
    const { Contents } = await clients.s3.send(new ListObjectsV2Command({ Bucket: server.storage.bucketName, Prefix: `projects/${projectID}/` }));
    const keys = (Contents ?? []).map((object) => object.Key!);
    const stored = await Promise.all(
      keys.map(async (Key) =>
        sha256(await (await clients.s3.send(new GetObjectCommand({ Bucket: server.storage.bucketName, Key }))).Body!.transformToByteArray()),
      ),
    );
    return { answers: answers.map(({ body }) => body), keys, stored };
  } finally {
    clients.s3.destroy();
    clients.dynamodb.destroy();
  }
}

describe('one clientToken, two uploads at once', () => {
  it.each([
    ['the same file name (one key: If-None-Match decides)', ['same.bin', 'same.bin'] as [string, string]],
    ['other file names (two keys: the row decides)', ['one.bin', 'two.bin'] as [string, string]],
  ])('with different bytes and %s: exactly one file, holding the winner’s bytes; the loser gets Conflict', async (_case, fileNames) => {
    for (let round = 0; round < 3; round++) {
      const contents: [Buffer, Buffer] = [randomBytes(20_000), randomBytes(20_000)];
      const { answers, keys, stored } = await race(fileNames, contents);

      const won = answers.filter((answer) => answer.data?.uploadFile);
      const lost = answers.filter((answer) => !answer.data?.uploadFile);
      expect(won).toHaveLength(1);
      expect(lost.map((answer) => answer.errors?.[0]?.errorType)).toEqual(['Conflict']);
      const file = won[0].data.uploadFile;
      expect(keys).toEqual([file.s3Key]);
      expect(stored).toEqual([file.sha256]);
      expect(contents.map(sha256)).toContain(file.sha256);
    }
  });

  it('with the same bytes: both get the one file', async () => {
    const bytes = randomBytes(20_000);
    const { answers, keys, stored } = await race(['same.bin', 'same.bin'], [bytes, bytes]);

    expect(answers[0].data?.uploadFile).toBeTruthy();
    expect(answers[1].data?.uploadFile).toEqual(answers[0].data.uploadFile);
    expect(keys).toEqual([answers[0].data.uploadFile.s3Key]);
    expect(stored).toEqual([sha256(bytes)]);
  });
});
