import type S3rver from 's3rver';
import { registerWithS3rver, signatureV4 } from './authentication';
import { MultipartStore } from './multipart-store';
import type { RecoveryReport } from './stray-files';
import { storeOperations } from './operations';

/**
 * Makes an s3rver enforce what S3 enforces and s3rver ignores (see
 * MultipartStore, ChecksumStore, ObjectStore and signatureV4), through s3rver's own
 * surfaces: its store is replaced by a subclass, and two middleware go
 * just ahead of its router. Call before `run()`: Koa composes its
 * middleware when the server starts listening.
 */
export async function extendS3rver(server: S3rver, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<RecoveryReport> {
  const accessKeys = new Map([[credentials.accessKeyId, credentials.secretAccessKey]]);
  registerWithS3rver(accessKeys);
  const store = new MultipartStore(server.store.rootDirectory);
  const recovery = await store.recover();
  server.store = store;
  server.context.store = store;
  const router = server.middleware.findIndex((middleware) => 'router' in middleware);
  if (router === -1) throw new Error('s3rver changed: no router among its middleware');
  server.middleware.splice(router, 0, signatureV4(store, accessKeys), storeOperations(store));
  return recovery;
}
