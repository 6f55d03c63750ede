import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { File } from '../../generated/graphql';
import { awsClientConfig, readConfig, type Env, type FunctionConfig } from './config';
import { createS3Client, s3TransferStore } from './transfers';

/**
 * Adapters over the real AWS SDK v3 clients. The domain flow sees only these
 * two interfaces; tests exercise them against dynalite and s3rver, and inject
 * failures by adding middleware to a real client, never by mocking the SDK.
 */

/**
 * A file as the Lambdas return it. `downloadUrl` has a resolver of its own;
 * `partSize` is present for multipart uploads only (GraphQL answers null
 * for a field the result lacks).
 */
export type StoredFile = Omit<File, '__typename' | 'downloadUrl' | 'partSize'> & { partSize?: number | null };

/** A FileMetadata row of an available file. */
export type FileItem = StoredFile & {
  status: 'AVAILABLE';
  clientToken?: string;
  /** Who may complete or abort the upload that made it (Uploader.idempotencyKey); direct uploads only. */
  uploaderKey?: string;
};

/**
 * The row of a direct upload that has not completed. It has no `uploadedAt`,
 * so the byProject index (sorted on it) never holds it: listings cannot show
 * it. `expiresAt` (epoch seconds) is the table's TTL attribute.
 */
export type PendingItem = Omit<FileItem, 'status' | 'uploadedAt'> & {
  status: 'PENDING';
  createdAt: string;
  expiresAt: number;
  uploaderKey: string;
  /** The S3 multipart upload, for files sent in parts. */
  uploadId?: string;
};

export type FileRow = FileItem | PendingItem;

/** Whether an upload's time is up. DynamoDB's TTL deletes such rows only eventually, so readers check too. */
export const isExpired = (row: FileRow, now: Date): boolean => row.status === 'PENDING' && row.expiresAt * 1000 <= now.getTime();

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
  putIfAbsent(item: FileRow): Promise<'created' | 'exists'>;
  /** Strongly consistent. */
  get(fileID: string): Promise<FileRow | undefined>;
  /** Turns a PENDING row AVAILABLE, unless it no longer is PENDING ('not-pending': nothing was written). */
  markAvailable(fileID: string, fields: { uploadedAt: string; contentType: string }): Promise<'updated' | 'not-pending'>;
  /**
   * Deletes the row if its status is `status` (and, when given, it is the
   * upload created at `createdAt`, not a newer one under the same fileID);
   * the row deleted, or undefined when there was no such row.
   */
  deleteIfStatus(fileID: string, status: FileRow['status'], createdAt?: string): Promise<FileRow | undefined>;
  /** PENDING rows whose expiresAt (epoch seconds) has passed: a full scan, for local clean-up where no TTL runs. */
  expiredPending(nowSeconds: number): Promise<PendingItem[]>;
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
            // Never overwrite: two racing retries of one clientToken share a key. (S3 enforces it; so does the embedded S3, local/storage/s3/checksum-store.ts.)
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

/** Plain rows in and out; an optional field left undefined is not written. */
export const documentClient = (dynamodb: DynamoDBClient) => DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });

export function dynamoMetadataStore(dynamodb: DynamoDBClient, table: string): MetadataStore {
  const documents = documentClient(dynamodb);
  return {
    async putIfAbsent(item) {
      try {
        await documents.send(
          new PutCommand({
            TableName: table,
            Item: item,
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
      const { Item } = await documents.send(new GetCommand({ TableName: table, Key: { fileID }, ConsistentRead: true }));
      return Item as FileRow | undefined;
    },
    async markAvailable(fileID, { uploadedAt, contentType }) {
      try {
        await documents.send(
          new UpdateCommand({
            TableName: table,
            Key: { fileID },
            // uploadedAt puts the row into the byProject index: from here on it is listed.
            UpdateExpression: 'SET #status = :available, uploadedAt = :uploadedAt, contentType = :contentType REMOVE expiresAt, uploadId',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':available': 'AVAILABLE', ':pending': 'PENDING', ':uploadedAt': uploadedAt, ':contentType': contentType },
          }),
        );
        return 'updated';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'not-pending';
        throw error;
      }
    },
    async deleteIfStatus(fileID, status, createdAt) {
      try {
        const { Attributes } = await documents.send(
          new DeleteCommand({
            TableName: table,
            Key: { fileID },
            ConditionExpression: createdAt === undefined ? '#status = :status' : '#status = :status AND createdAt = :createdAt',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ...(createdAt === undefined ? {} : { ':createdAt': createdAt }) },
            ReturnValues: 'ALL_OLD',
          }),
        );
        return Attributes as FileRow | undefined;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },
    async expiredPending(nowSeconds) {
      const rows: PendingItem[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new ScanCommand({
            TableName: table,
            FilterExpression: '#status = :pending AND expiresAt <= :now',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pending': 'PENDING', ':now': nowSeconds },
            ExclusiveStartKey: start,
          }),
        );
        rows.push(...((page.Items ?? []) as PendingItem[]));
        start = page.LastEvaluatedKey;
      } while (start);
      return rows;
    },
  };
}

export interface StorageClients {
  s3: S3Client;
  dynamodb: DynamoDBClient;
}

/** Clients for the configured storage; endpoints, region and credentials from `env` (the container's environment), as the SDK reads them from process.env. */
export function createStorageClients(config: FunctionConfig, env: Env): StorageClients {
  return { s3: createS3Client(config, env), dynamodb: new DynamoDBClient(awsClientConfig(env, 'DYNAMODB')) };
}

export function createStores(config: FunctionConfig, clients: StorageClients) {
  return {
    objects: s3ObjectStore(clients.s3, config.filesBucket),
    metadata: dynamoMetadataStore(clients.dynamodb, config.filesTable),
    transfers: s3TransferStore(clients.s3, config.filesBucket),
  };
}

/** The stores of a Lambda container configured by `env`. */
export function storesFrom(env: Env) {
  const config = readConfig(env);
  return createStores(config, createStorageClients(config, env));
}
