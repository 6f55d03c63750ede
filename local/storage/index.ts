import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import path from 'node:path';
import { startEmbeddedDynamoDB } from './embedded-dynamodb';
import type { AccessKeyPair } from '../state';
import type { IndexRepairReport } from './dynamodb-repair';
import { startEmbeddedS3 } from './embedded-s3';
import { ensureBucket, ensureFileTable } from './provision';
import type { RecoveryReport } from './s3/stray-files';

/** Where the storage is and what it holds: enough for any AWS SDK client or the AWS CLI. */
export interface StorageLocation {
  region: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  bucketName: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface EmbeddedStorage extends StorageLocation {
  /** What the start-up checks of the two stores found and repaired of a crash. */
  recovery: StorageRecovery;
  close(): Promise<void>;
}

export interface StorageRecovery {
  indexes: IndexRepairReport;
  objects: RecoveryReport;
}

export interface EmbeddedStorageOptions {
  /** Keep data under this folder (dynamodb/ and s3/); in memory when omitted. */
  dataDir?: string;
  tableName?: string;
  bucketName?: string;
  region?: string;
  /** What requests to the storage are signed with (the local account's key pair). */
  credentials: AccessKeyPair;
}

/** Starts dynalite and s3rver, and creates the file table and bucket when missing. */
export async function startEmbeddedStorage(options: EmbeddedStorageOptions): Promise<EmbeddedStorage> {
  const region = options.region ?? 'us-east-1';
  const dynamodb = await startEmbeddedDynamoDB({
    directory: options.dataDir && path.join(options.dataDir, 'dynamodb'),
    credentials: options.credentials,
    region,
  });
  const s3 = await startEmbeddedS3({ directory: options.dataDir && path.join(options.dataDir, 's3'), credentials: options.credentials });
  const location: StorageLocation = {
    region,
    dynamodbEndpoint: dynamodb.endpoint,
    s3Endpoint: s3.endpoint,
    tableName: options.tableName ?? 'FileMetadata',
    bucketName: options.bucketName ?? 'codecraft-files',
    credentials: { ...options.credentials },
  };
  const clients = storageClients(location);
  await Promise.all([ensureFileTable(clients.dynamodb, location.tableName), ensureBucket(clients.s3, location.bucketName)]);
  clients.dynamodb.destroy();
  clients.s3.destroy();
  return {
    ...location,
    recovery: { indexes: dynamodb.repair, objects: s3.recovery },
    close: async () => {
      await Promise.all([dynamodb.close(), s3.close()]);
    },
  };
}

/** AWS SDK v3 clients pointed at a storage location. */
export function storageClients(location: StorageLocation): { dynamodb: DynamoDBClient; s3: S3Client } {
  // A copy: the SDK writes its own bookkeeping into the credentials object it is given.
  const common = { region: location.region, credentials: { ...location.credentials } };
  return {
    dynamodb: new DynamoDBClient({ ...common, endpoint: location.dynamodbEndpoint }),
    s3: new S3Client({ ...common, endpoint: location.s3Endpoint, forcePathStyle: true }),
  };
}
