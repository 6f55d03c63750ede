import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { File } from '../../generated/graphql';
import type { FunctionConfig } from './config';

/**
 * Adapters over the real AWS SDK v3 clients. The domain flow sees only these
 * two interfaces; tests exercise them against dynalite and s3rver, and inject
 * failures by adding middleware to a real client, never by mocking the SDK.
 */

/** A FileMetadata row. */
export type FileItem = Omit<File, '__typename'> & {
  status: 'AVAILABLE' | 'PENDING';
  clientToken?: string;
};

export interface StoredObject {
  key: string;
  body: Uint8Array;
  contentType: string;
  /** SHA-256 of body, base64: S3 recomputes it and refuses the upload on mismatch. */
  sha256Base64: string;
}

export interface ObjectStore {
  /** Writes the object unless its key exists; 'exists' means nothing was written. */
  putIfAbsent(object: StoredObject): Promise<'created' | 'exists'>;
  delete(key: string): Promise<void>;
}

export interface MetadataStore {
  /** Writes the row unless its fileID exists; 'exists' means nothing was written. */
  putIfAbsent(item: FileItem): Promise<'created' | 'exists'>;
  get(fileID: string): Promise<FileItem | undefined>;
}

export function s3ObjectStore(s3: S3Client, bucket: string): ObjectStore {
  return {
    async putIfAbsent({ key, body, contentType, sha256Base64 }) {
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            ContentLength: body.byteLength,
            ChecksumSHA256: sha256Base64,
            // Never overwrite: two racing retries of one clientToken share a key. (s3rver ignores this; S3 enforces it.)
            IfNoneMatch: '*',
          }),
        );
        return 'created';
      } catch (error) {
        // 412: the key exists; 409: a concurrent conditional write to it is in flight.
        const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
        if (status === 412 || status === 409) return 'exists';
        throw error;
      }
    },
    async delete(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}

export function dynamoMetadataStore(dynamodb: DynamoDBClient, table: string): MetadataStore {
  return {
    async putIfAbsent(item) {
      try {
        await dynamodb.send(
          new PutItemCommand({
            TableName: table,
            Item: marshall(item, { removeUndefinedValues: true }),
            ConditionExpression: 'attribute_not_exists(fileID)',
          }),
        );
        return 'created';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'exists';
        throw error;
      }
    },
    async get(fileID) {
      // Strongly consistent: a retry must see the row its first attempt just wrote.
      const { Item } = await dynamodb.send(new GetItemCommand({ TableName: table, Key: marshall({ fileID }), ConsistentRead: true }));
      return Item ? (unmarshall(Item) as FileItem) : undefined;
    },
  };
}

export interface StorageClients {
  s3: S3Client;
  dynamodb: DynamoDBClient;
}

/** Clients for the configured storage. Endpoints, region and credentials come from the SDK's standard environment. */
export function createStorageClients(config: FunctionConfig): StorageClients {
  return {
    s3: new S3Client({ forcePathStyle: config.s3ForcePathStyle }),
    dynamodb: new DynamoDBClient({}),
  };
}

export function createStores(config: FunctionConfig, clients: StorageClients = createStorageClients(config)) {
  return {
    objects: s3ObjectStore(clients.s3, config.filesBucket),
    metadata: dynamoMetadataStore(clients.dynamodb, config.filesTable),
  };
}
