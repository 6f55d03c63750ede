/**
 * `npm start`: the whole API on this machine. Environment:
 *   PORT      (default 4000)
 *   DATA_DIR  (default .data) — files, metadata and keys survive restarts there
 *   IN_MEMORY=1 — keep nothing: storage and keys live and die with the process
 *   FILES_PAGE_OUTPUTS=cdk-outputs.json — point the /files page at that deployed stack
 *   CORS_ORIGINS=http://localhost:5173,… — web apps (origins) that may call with tokens or SigV4, besides this server's own pages
 *   DYNAMODB_ENDPOINT, S3_ENDPOINT, … — use storage running elsewhere (local/storage/external.ts)
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleIfChanged } from '../infra/bundle';
import { dataDirSetting, ENDPOINTS_FILE } from './data-dir';
import { endpointsOf } from './endpoints';
import { deployedTargetFromOutputs } from './files-page/files-page';
import { startLocalServer } from './server';
import { externalStorageFromEnv } from './storage/external';

async function main(): Promise<void> {
  const inMemory = ['1', 'true'].includes(process.env.IN_MEMORY ?? '');
  const dataDir = inMemory ? undefined : path.resolve(dataDirSetting());
  const port = Number(process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${process.env.PORT}"`);

  await bundleIfChanged();
  // FILES_PAGE_OUTPUTS=cdk-outputs.json: the /files page signs in to, and works on, that deployed stack.
  const pageOutputs = process.env.FILES_PAGE_OUTPUTS;
  const filesPageTarget = pageOutputs ? deployedTargetFromOutputs(await readFile(path.resolve(pageOutputs), 'utf8')) : undefined;
  const corsOrigins = process.env.CORS_ORIGINS?.split(',').filter((origin) => origin.trim()) ?? [];
  const server = await startLocalServer({ port, dataDir, storage: externalStorageFromEnv(process.env), filesPageTarget, corsOrigins });
  const endpoints = endpointsOf(server);
  if (dataDir) {
    const file = path.join(dataDir, ENDPOINTS_FILE);
    await writeFile(file, `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
    // It holds the local account's secret key: also when an older file was readable by others.
    await chmod(file, 0o600);
  }

  console.log(`CodeCraft Files, local API — ready in ${Math.round(process.uptime() * 1000)} ms
  Files     ${endpoints.graphqlUrl.replace(/\/graphql$/, '/files')}   (the file browser page)
  GraphQL   ${endpoints.graphqlUrl}   (console: ${endpoints.graphqlUrl.replace(/\/graphql$/, '/')})
  Realtime  ${endpoints.realtimeUrl}   (wss:// too, same port)
  REST      POST ${endpoints.restUrl}
  API key   ${endpoints.apiKey}
  Local CA  ${endpoints.caCertFile}   (trust it for https/wss: NODE_EXTRA_CA_CERTS=${endpoints.caCertFile})
  Token     npm run token -- --user alice --groups project-demo
  Storage   DynamoDB ${endpoints.storage.dynamodbEndpoint} (table ${endpoints.storage.tableName}), S3 ${endpoints.storage.s3Endpoint} (bucket ${endpoints.storage.bucketName})
  Data      ${dataDir ?? 'in memory (IN_MEMORY=1): nothing is kept'}${dataDir ? `\n  Endpoints ${path.join(dataDir, ENDPOINTS_FILE)}` : ''}
Try:
  curl -s ${endpoints.graphqlUrl} -H 'x-api-key: ${endpoints.apiKey}' -H 'content-type: application/json' \\
    -d '{"query":"{ filesByProject(projectID: \\"demo\\") { items { fileName size uploadedAt } } }"}'
Ctrl-C stops it.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(`The local API could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
