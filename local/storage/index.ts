import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import path from 'node:path';
import { startEmbeddedDynamoDB } from './embedded-dynamodb';
import { S3RVER_CREDENTIALS, startEmbeddedS3 } from './embedded-s3';
import type { IndexRepairReport } from './dynamodb-repair';
import { ensureBucket, ensureFileTable } from './provision';
import type { RecoveryReport } from './s3/object-store';

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
}

/** Starts dynalite and s3rver, and creates the file table and bucket when missing. */
export async function startEmbeddedStorage(options: EmbeddedStorageOptions = {}): Promise<EmbeddedStorage> {
  const dynamodb = await startEmbeddedDynamoDB({ directory: options.dataDir && path.join(options.dataDir, 'dynamodb') });
  const s3 = await startEmbeddedS3({ directory: options.dataDir && path.join(options.dataDir, 's3') });
  const location: StorageLocation = {
    region: options.region ?? 'us-east-1',
    dynamodbEndpoint: dynamodb.endpoint,
    s3Endpoint: s3.endpoint,
    tableName: options.tableName ?? 'FileMetadata',
    bucketName: options.bucketName ?? 'codecraft-files',
    credentials: { ...S3RVER_CREDENTIALS },
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
  const common = { region: location.region, credentials: location.credentials };
  return {
    dynamodb: new DynamoDBClient({ ...common, endpoint: location.dynamodbEndpoint }),
    s3: new S3Client({ ...common, endpoint: location.s3Endpoint, forcePathStyle: true }),
  };
}
