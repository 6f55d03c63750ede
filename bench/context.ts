/**
 * One in-memory local server for the whole run, the raw AWS SDK v3 clients on
 * its storage, and the calls both sides of every comparison make.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/core/storage';
import { createHash, randomUUID } from 'node:crypto';
import { UploadFileDocument } from '../generated/operations';
import { bundleIfChanged } from '../infra/bundle';
import { startLocalServer, type LocalServer } from '../local/server';
import { storageClients } from '../local/storage/index';
import { closeHttpAgents, postGraphQL, postJson, type Json } from '../test/support/graphql-http';

export interface Bench {
  server: LocalServer;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  /** Authorization header value for POST /upload (an `admins` user-pool token). */
  bearer: string;
  close(): Promise<void>;
}

export async function startBench(): Promise<Bench> {
  await bundleIfChanged();
  const server = await startLocalServer({ port: 0 });
  const { dynamodb, s3 } = storageClients(server.storage);
  const bearer = `Bearer ${await server.signToken({ username: 'bench', groups: ['admins'] })}`;
  return {
    server,
    dynamodb,
    s3,
    bearer,
    async close() {
      closeHttpAgents();
      dynamodb.destroy();
      s3.destroy();
      await server.close();
    },
  };
}

/** POST /graphql with the API key; throws on a non-200 answer or GraphQL errors. */
export async function graphql(bench: Bench, query: string, variables: Record<string, unknown>): Promise<Json> {
  const { status, body } = await postGraphQL(bench.server.graphqlUrl, { query, variables }, { 'x-api-key': bench.server.apiKey });
  if (status !== 200 || body.errors) throw new Error(`GraphQL ${status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** uploadFile over HTTP; resolves with the stored file's fields. */
export async function uploadViaApi(bench: Bench, projectID: string, fileName: string, bytes: Buffer): Promise<Json> {
  const input = { projectID, fileName, fileType: 'bin', contentBase64: bytes.toString('base64') };
  return (await graphql(bench, UploadFileDocument.toString(), { input })).uploadFile;
}

/** POST /upload (the legacy REST endpoint) with a user-pool token. */
export async function uploadViaRest(bench: Bench, projectID: string, fileName: string, bytes: Buffer): Promise<Json> {
  const input = { file_content: bytes.toString('base64'), file_name: fileName, project_id: projectID, file_type: 'bin' };
  const { status, body } = await postJson(bench.server.restUrl, input, { authorization: bench.bearer });
  if (status !== 200) throw new Error(`POST /upload ${status}: ${JSON.stringify(body)}`);
  return body.file;
}

/** A metadata row shaped as the upload Lambda writes it. */
export function fileRow(projectID: string, fileName: string, bytes: Buffer, uploadedAt = new Date().toISOString()) {
  const fileID = randomUUID();
  return {
    fileID,
    projectID,
    fileName,
    fileType: 'bin',
    contentType: 'application/octet-stream',
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    s3Key: `projects/${projectID}/${fileID}/${fileName}`,
    uploadedAt,
    uploadedBy: 'bench',
    status: 'AVAILABLE',
  };
}

export async function putRow(bench: Bench, row: Record<string, unknown>): Promise<void> {
  await documentClient(bench.dynamodb).send(
    new PutCommand({
      TableName: bench.server.storage.tableName,
      Item: row,
      ConditionExpression: 'attribute_not_exists(fileID)',
    }),
  );
}

/**
 * The raw pair the API's upload boils down to, with the same requests the
 * Lambda sends: hash, S3 PutObject (ChecksumSHA256, If-None-Match), then a
 * conditional DynamoDB PutItem. No validation, type detection, auth or HTTP hop.
 */
export async function uploadRaw(bench: Bench, projectID: string, fileName: string, bytes: Buffer): Promise<void> {
  const row = fileRow(projectID, fileName, bytes);
  await bench.s3.send(
    new PutObjectCommand({
      Bucket: bench.server.storage.bucketName,
      Key: row.s3Key,
      Body: bytes,
      ContentType: row.contentType,
      ContentLength: bytes.length,
      ChecksumSHA256: Buffer.from(row.sha256, 'hex').toString('base64'),
      IfNoneMatch: '*',
    }),
  );
  await putRow(bench, row);
}
