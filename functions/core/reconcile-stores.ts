import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BatchGetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { FunctionConfig } from './config';
import { RECONCILE_CURSOR_KEY } from './keys';
import { documentClient, type FileRow } from './storage';
import { isMissingObject } from './transfers';

/** What reconciliation reads beyond the upload flows' stores: the bucket's keys, rows in bulk, and where the last run stopped. */

/** Which write of a key an object is: a PUT to the same key makes another. */
export interface ObjectVersion {
  etag: string;
  lastModified: Date;
}

export interface ListedObject extends ObjectVersion {
  key: string;
}

export interface ReconcileCursor {
  /** The last object key examined. */
  objectsAfter?: string;
  /** The table scan's LastEvaluatedKey, as JSON. */
  rowsAfter?: string;
}

export interface ReconcileStores {
  /** One page (up to 1,000 keys, S3's page) of keys under `prefix`, after `startAfter`; `more` when keys follow. */
  listObjects(prefix: string, startAfter: string | undefined): Promise<{ objects: ListedObject[]; more: boolean }>;
  /** The rows of these fileIDs (at most 100), strongly consistent: a row written a moment ago counts. */
  rowsOf(fileIDs: string[]): Promise<Map<string, FileRow>>;
  /** One page (`limit` rows at most) of the table's rows after `rowsAfter`; `next` undefined at the end. */
  scanRows(rowsAfter: string | undefined, limit: number): Promise<{ rows: FileRow[]; next?: string }>;
  /** The object now under `key`, undefined when there is none. */
  objectVersion(key: string): Promise<ObjectVersion | undefined>;
  readCursor(): Promise<ReconcileCursor>;
  writeCursor(cursor: ReconcileCursor): Promise<void>;
}

export function reconcileStores(clients: { s3: S3Client; dynamodb: DynamoDBClient }, config: FunctionConfig): ReconcileStores {
  const { s3 } = clients;
  const documents = documentClient(clients.dynamodb);
  const Bucket = config.filesBucket;
  const TableName = config.filesTable;
  return {
    async listObjects(prefix, startAfter) {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, StartAfter: startAfter }));
      // S3 always sends both; were one missing, "now" keeps the object young (left alone) and no HEAD would match it.
      const objects = (page.Contents ?? []).map((object) => ({ key: object.Key!, etag: object.ETag ?? '', lastModified: object.LastModified ?? new Date() }));
      return { objects, more: page.IsTruncated === true };
    },
    async rowsOf(fileIDs) {
      const rows = new Map<string, FileRow>();
      let keys: Record<string, unknown>[] = fileIDs.map((fileID) => ({ fileID }));
      while (keys.length) {
        const answer = await documents.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: keys, ConsistentRead: true } } }));
        for (const row of (answer.Responses?.[TableName] ?? []) as FileRow[]) rows.set(row.fileID, row);
        keys = answer.UnprocessedKeys?.[TableName]?.Keys ?? [];
      }
      return rows;
    },
    async scanRows(rowsAfter, limit) {
      const key = rowsAfter ? (JSON.parse(rowsAfter) as { fileID?: unknown }) : undefined;
      // A cursor saved before rows were read as plain items holds DynamoDB JSON ({"fileID":{"S":…}}), which the scan would refuse run after run: start over instead.
      const ExclusiveStartKey = typeof key?.fileID === 'string' ? key : undefined;
      const page = await documents.send(new ScanCommand({ TableName, ConsistentRead: true, ExclusiveStartKey, Limit: limit }));
      return { rows: (page.Items ?? []) as FileRow[], next: page.LastEvaluatedKey && JSON.stringify(page.LastEvaluatedKey) };
    },
    async objectVersion(key) {
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { etag: head.ETag ?? '', lastModified: head.LastModified ?? new Date() };
      } catch (error) {
        if (isMissingObject(error)) return undefined;
        throw error;
      }
    },
    async readCursor() {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket, Key: RECONCILE_CURSOR_KEY }));
        return JSON.parse(await object.Body!.transformToString()) as ReconcileCursor;
      } catch (error) {
        // No cursor yet (on AWS a 403: the role may not list reconciler/), or one that cannot be parsed: the run starts from the beginning.
        if (isMissingObject(error) || error instanceof SyntaxError) return {};
        throw error;
      }
    },
    async writeCursor(cursor) {
      await s3.send(new PutObjectCommand({ Bucket, Key: RECONCILE_CURSOR_KEY, Body: JSON.stringify(cursor), ContentType: 'application/json' }));
    },
  };
}
