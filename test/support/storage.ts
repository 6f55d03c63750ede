import { newAccessKeyPair } from '../../local/state';
import { afterAll, beforeAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startEmbeddedStorage, storageClients, type EmbeddedStorage, type StorageLocation } from '../../local/storage/index';

export interface StorageFixture {
  storage: StorageLocation & Pick<EmbeddedStorage, 'close'>;
  clients: ReturnType<typeof storageClients>;
}

/**
 * Starts real dynalite and s3rver (in memory) for the test file, with a
 * table and bucket of their own, and stops them after the file's tests.
 */
export function useEmbeddedStorage(): StorageFixture {
  const fixture = {} as StorageFixture;
  beforeAll(async () => {
    const suffix = randomUUID().slice(0, 8);
    fixture.storage = await startEmbeddedStorage({ tableName: `files-${suffix}`, bucketName: `files-${suffix}`, credentials: newAccessKeyPair() });
    fixture.clients = storageClients(fixture.storage);
  });
  afterAll(async () => {
    fixture.clients?.dynamodb.destroy();
    fixture.clients?.s3.destroy();
    await fixture.storage?.close();
  });
  return fixture;
}
