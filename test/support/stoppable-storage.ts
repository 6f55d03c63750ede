/**
 * dynalite and s3rver started beside a local server rather than inside it,
 * so a test can stop the S3 under the running API (a real outage: requests
 * are refused at the socket) and start it again, on the same port and files.
 */
import { newAccessKeyPair } from '../../local/state';
import { startEmbeddedDynamoDB, type EmbeddedService } from '../../local/storage/embedded-dynamodb';
import { startEmbeddedS3 } from '../../local/storage/embedded-s3';
import { storageClients, type StorageLocation } from '../../local/storage/index';
import { ensureBucket, ensureFileTable } from '../../local/storage/provision';
import type { StorageFixture } from './storage';

export interface StoppableStorage {
  /** What startLocalServer's `storage` option takes. */
  location: StorageLocation;
  /** The same storage with clients of its own, for the helpers that read it (test/functions/factories.ts). */
  fixture: StorageFixture;
  stopS3(): Promise<void>;
  /** Starts the S3 again on its port, over the files it kept. */
  restartS3(): Promise<void>;
  close(): Promise<void>;
}

export async function startStoppableStorage(s3Directory: string, bucketName: string): Promise<StoppableStorage> {
  const credentials = newAccessKeyPair();
  const region = 'us-east-1';
  const dynamodb = await startEmbeddedDynamoDB({ credentials, region });
  // A port the system gave, kept to come back on (a range picked by hand can collide with another test file's).
  let s3: EmbeddedService | undefined = await startEmbeddedS3({ directory: s3Directory, port: 0, credentials });
  const s3Port = Number(new URL(s3.endpoint).port);
  const location: StorageLocation = {
    region,
    dynamodbEndpoint: dynamodb.endpoint,
    s3Endpoint: s3.endpoint,
    tableName: 'FileMetadata',
    bucketName,
    credentials,
  };
  const clients = storageClients(location);
  await Promise.all([ensureFileTable(clients.dynamodb, location.tableName), ensureBucket(clients.s3, location.bucketName)]);
  const stopS3 = async () => {
    await s3?.close();
    s3 = undefined;
  };
  const close = async () => {
    clients.dynamodb.destroy();
    clients.s3.destroy();
    await stopS3();
    await dynamodb.close();
  };
  return {
    location,
    fixture: { storage: { ...location, close }, clients },
    stopS3,
    async restartS3() {
      s3 = await startEmbeddedS3({ directory: s3Directory, port: s3Port, credentials });
    },
    close,
  };
}
