import S3rver from 's3rver';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AccessKeyPair } from '../state';
import type { EmbeddedService } from './embedded-dynamodb';
import { extendS3rver } from './s3/index';
import type { RecoveryReport } from './s3/stray-files';

/**
 * s3rver: the S3 API on the file system, made to check what S3 checks
 * (signatures, checksums, conditional writes, multipart rules; see
 * ./s3/index.ts). `directory` keeps the objects on disk; without it they
 * go to a temporary folder removed on close. Requests must be signed with
 * `credentials` — never s3rver's well-known S3RVER key.
 */
export async function startEmbeddedS3(options: {
  directory?: string;
  port?: number;
  credentials: AccessKeyPair;
}): Promise<EmbeddedService & { recovery: RecoveryReport }> {
  const directory = options.directory ?? (await mkdtemp(path.join(os.tmpdir(), 'codecraft-s3-')));
  const server = new S3rver({ address: '127.0.0.1', port: options.port ?? 0, directory, silent: true });
  const recovery = await extendS3rver(server, options.credentials);
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    recovery,
    close: async () => {
      const closed = server.close();
      // As dynalite's close: clients with keep-alive connections (the SDK's) would otherwise hold the server open for as long as they send.
      server.httpServer?.closeAllConnections();
      await closed;
      if (!options.directory) {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}
