import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storageClients } from '../../local/storage/index';
import { PDF_BYTES, PNG_BASE64 } from '../functions/factories';
import { postGraphQL, restUpload, useLocalServer } from '../support/local-server';

const local = useLocalServer();

const postUpload = (body: string | object, headers: Record<string, string>) => restUpload(local.server.restUrl, body, headers);

const bearer = async (groups: string[], username = 'alice') => ({ authorization: `Bearer ${await local.server.signToken({ username, groups })}` });
const legacyPayload = (projectID: string, overrides: Record<string, unknown> = {}) => ({
  file_content: PDF_BYTES.toString('base64'),
  file_name: 'guide.pdf',
  project_id: projectID,
  file_type: 'pdf',
  ...overrides,
});

async function objectsUnder(prefix: string): Promise<string[]> {
  const { Contents } = await storageClients(local.server.storage).s3.send(
    new ListObjectsV2Command({ Bucket: local.server.storage.bucketName, Prefix: prefix }),
  );
  return (Contents ?? []).map((o) => o.Key!);
}

const listFiles = async (projectID: string) =>
  (
    await postGraphQL(
      local.server.graphqlUrl,
      { query: 'query L($p: ID!) { filesByProject(projectID: $p) { items { fileID fileName s3Key size sha256 } } }', variables: { p: projectID } },
      { 'x-api-key': local.server.apiKey },
    )
  ).body.data.filesByProject.items;

describe('POST /upload (legacy REST)', () => {
  it('stores the decoded bytes, answers 200 with the metadata, and lists the file', async () => {
    const response = await postUpload(legacyPayload('12345'), await bearer(['project-12345']));

    expect(response.status).toBe(200);
    const { file } = response.body;
    expect(response.body).toEqual({
      message: 'File uploaded successfully',
      file: expect.objectContaining({
        projectID: '12345',
        fileName: 'guide.pdf',
        fileType: 'pdf',
        contentType: 'application/pdf',
        size: PDF_BYTES.length,
        sha256: createHash('sha256').update(PDF_BYTES).digest('hex'),
        s3Key: `projects/12345/${file.fileID}/guide.pdf`,
        uploadedBy: 'alice',
        uploadedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    });
    const object = await storageClients(local.server.storage).s3.send(new GetObjectCommand({ Bucket: local.server.storage.bucketName, Key: file.s3Key }));
    expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(PDF_BYTES);
    expect(await listFiles('12345')).toEqual([{ fileID: file.fileID, fileName: 'guide.pdf', s3Key: file.s3Key, size: file.size, sha256: file.sha256 }]);
  });

  it('accepts the raw token without "Bearer", as legacy clients send it', async () => {
    const token = await local.server.signToken({ username: 'bob', groups: ['admins'] });

    const response = await postUpload(legacyPayload('raw-token'), { authorization: token });

    expect(response.status).toBe(200);
    expect(response.body.file.uploadedBy).toBe('bob');
  });

  it.each([
    ['no token', async () => ({}), 'Unauthorized: no token was sent. Send "Authorization: Bearer <token>" (npm run token).'],
    [
      'an expired token',
      async () => ({ authorization: await local.server.signToken({ username: 'alice', groups: ['admins'], expiresIn: -60 }) }),
      'Unauthorized: the token has expired. Send "Authorization: Bearer <token>" (npm run token).',
    ],
    [
      'a token of another issuer',
      async () => ({ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' }),
      'Unauthorized: the token is not a user-pool token of this API. Send "Authorization: Bearer <token>" (npm run token).',
    ],
  ])('refuses %s with 401 and stores nothing', async (_case, headers, message) => {
    const response = await postUpload(legacyPayload('p401'), await headers());

    expect(response).toEqual({ status: 401, body: { errorType: 'UnauthorizedException', message } });
    expect(await objectsUnder('projects/p401/')).toEqual([]);
  });

  it('refuses a user outside the project with 403 and stores nothing', async () => {
    const response = await postUpload(legacyPayload('p403'), await bearer(['project-other']));

    expect(response).toEqual({
      status: 403,
      body: { errorType: 'Unauthorized', message: 'Not authorized for project p403: the token\'s cognito:groups must include "project-p403" or "admins".' },
    });
    expect(await objectsUnder('projects/p403/')).toEqual([]);
  });

  it.each([
    [
      'a body that is not JSON',
      '{"file_content": ',
      'The request body is not JSON: send JSON {"file_content": "<base64>", "file_name": "…", "project_id": "…", "file_type": "…"}.',
    ],
    [
      'a JSON array',
      '[]',
      'The request body must be a JSON object: send JSON {"file_content": "<base64>", "file_name": "…", "project_id": "…", "file_type": "…"}.',
    ],
    ['a missing file_name', legacyPayload('p400', { file_name: undefined }), 'file_name is required and must be a string.'],
    [
      'file_content that is not base64',
      legacyPayload('p400', { file_content: 'aGVsbG8*' }),
      expect.stringMatching(/^file_content is not valid base64: character "\*" at position 7/),
    ],
    ['an empty file', legacyPayload('p400', { file_content: '' }), 'file_content is empty: a file must have at least one byte.'],
  ])('refuses %s with 400 ValidationError and stores nothing', async (_case, body, message) => {
    const response = await postUpload(body, await bearer(['project-p400']));

    expect(response).toEqual({ status: 400, body: { errorType: 'ValidationError', message } });
    expect(await objectsUnder('projects/p400/')).toEqual([]);
  });

  it('refuses file_content over 6,000,000 characters with 413 and a hint, and stores nothing', async () => {
    const response = await postUpload(legacyPayload('p413', { file_content: 'A'.repeat(6_000_004) }), await bearer(['project-p413']));

    expect(response).toEqual({
      status: 413,
      body: {
        errorType: 'PayloadTooLarge',
        message:
          'file_content is 6,000,004 characters; POST /upload accepts at most 6,000,000 characters of base64 (4,500,000 bytes of file). ' +
          'Send a smaller file; larger files go straight to storage through createUploadUrl.',
      },
    });
    expect(await objectsUnder('projects/p413/')).toEqual([]);
  });

  it('accepts a file larger than uploadFile allows, up to the REST limit', async () => {
    const bytes = Buffer.alloc(2_000_000, 1);

    const response = await postUpload(
      legacyPayload('big', { file_content: bytes.toString('base64'), file_name: 'big.bin', file_type: 'bin' }),
      await bearer(['project-big']),
    );

    expect(response.status).toBe(200);
    expect(response.body.file.size).toBe(2_000_000);
  });

  it('refuses a content_type the bytes contradict with 415 and stores nothing', async () => {
    const response = await postUpload(legacyPayload('p415', { file_content: PNG_BASE64, content_type: 'application/pdf' }), await bearer(['project-p415']));

    expect(response).toEqual({
      status: 415,
      body: {
        errorType: 'UnsupportedMediaType',
        message:
          'content_type "application/pdf" does not match the file\'s content, which is image/png. Declare "image/png", or omit content_type to have it detected.',
      },
    });
    expect(await objectsUnder('projects/p415/')).toEqual([]);
  });

  it('returns the same file for a retried client_token instead of a second copy', async () => {
    const headers = await bearer(['project-retry']);
    const payload = legacyPayload('retry', { client_token: 'legacy-retry-1' });

    const first = await postUpload(payload, headers);
    const second = await postUpload(payload, headers);

    expect(second).toEqual(first);
    expect(await objectsUnder('projects/retry/')).toHaveLength(1);
  });
});
