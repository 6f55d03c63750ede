import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { AccessKeyPair } from '../state';
import { requireSignatures } from './dynamodb-guard';
import { repairDynaliteIndexes, type IndexRepairReport } from './dynamodb-repair';

export interface EmbeddedService {
  endpoint: string;
  close(): Promise<void>;
}

const NOTHING_REPAIRED: IndexRepairReport = { phantomEntries: 0, missingEntries: 0 };

/**
 * dynalite: the DynamoDB API on LevelDB. `directory` keeps the data on disk
 * (its indexes checked first, see dynamodb-repair.ts); without it the data
 * lives in memory for the life of the process. Requests must be signed with
 * `credentials` (dynamodb-guard.ts).
 */
export async function startEmbeddedDynamoDB(options: {
  directory?: string;
  port?: number;
  credentials: AccessKeyPair;
  region: string;
}): Promise<EmbeddedService & { repair: IndexRepairReport }> {
  const repair = options.directory ? await repairDynaliteIndexes(options.directory) : NOTHING_REPAIRED;
  // Tables become ACTIVE at once: nothing here waits on AWS-like provisioning.
  const server: Server = dynalite({ path: options.directory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  requireSignatures(server, options.credentials, options.region);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    repair,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        // dynalite closes its LevelDB store when the HTTP server closes.
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
