import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { File } from '../../generated/graphql';
import { documentClient } from '../../functions/core/storage';
import type { StorageFixture } from './storage';

/** A metadata row as the upload Lambda writes it. */
export function fileRow(projectID: string, uploadedAt: string, overrides: Partial<File & { status: string }> = {}) {
  const fileID = randomUUID();
  const fileName = `${fileID.slice(0, 8)}.txt`;
  return {
    fileID,
    projectID,
    fileName,
    fileType: 'text',
    contentType: 'text/plain',
    size: 5,
    sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    s3Key: `projects/${projectID}/${fileID}/${fileName}`,
    uploadedAt,
    uploadedBy: 'alice',
    status: 'AVAILABLE',
    ...overrides,
  };
}

/** Writes rows straight to the table, bypassing the API. */
export async function seedRows(fixture: StorageFixture, rows: Record<string, unknown>[]): Promise<void> {
  const documents = documentClient(fixture.clients.dynamodb);
  for (const row of rows) await documents.send(new PutCommand({ TableName: fixture.storage.tableName, Item: row }));
}

/** `count` ISO timestamps one second apart, oldest first. */
export const timestamps = (count: number, start = Date.UTC(2026, 0, 1)): string[] =>
  Array.from({ length: count }, (_, i) => new Date(start + i * 1000).toISOString());
