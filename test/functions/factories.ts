/** Events, inputs and storage probes shared by the upload tests. */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import type { UploadFileInput } from '../../generated/graphql';
import { documentClient } from '../../functions/core/storage';
import type { UploadEvent } from '../../functions/upload/index';
import { localLambdaEnvironment } from '../../local/lambda-environment';
import { userPoolCaller } from '../support/identities';
import type { StorageFixture } from '../support/storage';

/** A 1×1 PNG. */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
export const PNG_BYTES = Buffer.from(PNG_BASE64, 'base64');
/** A minimal PDF header, enough for magic-number detection. */
export const PDF_BYTES = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const base64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');

export function uploadInput(overrides: Partial<UploadFileInput> = {}): UploadFileInput {
  return { projectID: 'p1', fileName: 'notes.txt', fileType: 'text', contentBase64: base64('hello'), ...overrides };
}

/** The event invokeUpload sends the Lambda for `uploadFile(input)`. */
export function uploadEvent(input: unknown, identity: unknown = userPoolCaller('alice', ['project-p1'])): UploadEvent {
  return {
    arguments: { input } as UploadEvent['arguments'],
    identity,
    source: null,
    request: { headers: {}, domainName: null },
    info: { fieldName: 'uploadFile', parentTypeName: 'Mutation', variables: { input }, selectionSetList: [] },
    prev: { result: {} },
    stash: {},
  };
}

export const lambdaContext = (awsRequestId: string = randomUUID()) => ({
  awsRequestId,
  functionName: 'upload',
  getRemainingTimeInMillis: () => 30_000,
});

/** Every object key in the bucket under `prefix`. */
export async function objectKeys(fixture: StorageFixture, prefix = ''): Promise<string[]> {
  const { Contents } = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: fixture.storage.bucketName, Prefix: prefix }));
  return (Contents ?? []).map((o) => o.Key!).sort();
}

export async function readObject(fixture: StorageFixture, key: string) {
  const object = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: fixture.storage.bucketName, Key: key }));
  return { bytes: Buffer.from(await object.Body!.transformToByteArray()), contentType: object.ContentType };
}

/** Every row of the table whose projectID is `projectID`. */
export async function tableRows(fixture: StorageFixture, projectID: string): Promise<Record<string, unknown>[]> {
  const { Items } = await documentClient(fixture.clients.dynamodb).send(new ScanCommand({ TableName: fixture.storage.tableName, ConsistentRead: true }));
  return (Items ?? []).filter((row) => row.projectID === projectID);
}

/** The environment the local server gives a Lambda, pointed at the fixture's storage. */
export const lambdaEnv = (fixture: StorageFixture): Record<string, string> => localLambdaEnvironment(fixture.storage);
