/** `npm run reconcile` as a user runs it, against a running local server's data directory and against a stack's outputs file. */
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORPHAN_MIN_AGE_FLOOR_SECONDS } from '../../functions/core/limits';
import { projectRoot } from '../../infra/bundle';
import { endpointsOf } from '../../local/endpoints';
import { startLocalServer, type LocalServer } from '../../local/server';
import { storageClients } from '../../local/storage/index';
import { postGraphQL } from '../support/local-server';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
let server: LocalServer;
let dataDir: string;
const orphan = 'projects/cmd/00000000-0000-4000-8000-000000000001/orphan.bin';

beforeAll(async () => {
  dataDir = await tempDir('reconcile-command');
  server = await startLocalServer({ port: 0, dataDir });
  // What npm start writes, and the command reads.
  await writeFile(path.join(dataDir, 'endpoints.json'), JSON.stringify(endpointsOf(server)));
});
afterAll(() => server?.close());

async function reconcileCommand(args: string[], env: Record<string, string> = {}) {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'local/reconcile.ts', ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
  });
  return stdout;
}

async function objectKeys(): Promise<string[]> {
  const { s3 } = storageClients(server.storage);
  const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: server.storage.bucketName, Prefix: 'projects/cmd/' }));
  s3.destroy();
  return (Contents ?? []).map((object) => object.Key!).sort();
}

describe('npm run reconcile', () => {
  it('reports the orphans of the local storage in a dry run, and removes them with --apply, keeping the files', async () => {
    const clients = storageClients(server.storage);
    await clients.s3.send(new PutObjectCommand({ Bucket: server.storage.bucketName, Key: orphan, Body: 'orphan' }));
    clients.s3.destroy();
    clients.dynamodb.destroy();
    const uploaded = await postGraphQL(
      server.graphqlUrl,
      { query: 'mutation { uploadFile(input: { projectID: "cmd", fileName: "kept.txt", fileType: "text", contentBase64: "a2VwdA==" }) { s3Key } }' },
      { 'x-api-key': server.apiKey },
    );
    const kept = uploaded.body.data.uploadFile.s3Key;

    const dryRun = await reconcileCommand(['--data-dir', dataDir, '--min-age-seconds', '0']);
    expect(dryRun).toContain(`Reconciling local storage of ${dataDir}`);
    expect(dryRun).toContain('Orphan objects (no row names them, older than 0 s): 1 found (dry run: --apply removes them)');
    expect(dryRun).toContain(`  ${orphan}`);
    expect(await objectKeys()).toEqual([kept, orphan].sort());

    // Young orphans are left alone by default: an upload may be about to write its row.
    expect(await reconcileCommand(['--data-dir', dataDir, '--apply'])).toContain('older than 900 s): 0 removed');
    // Below the floor only with --force: an upload's object may be seconds ahead of its row.
    const refusal = await reconcileCommand(['--data-dir', dataDir, '--min-age-seconds', '0', '--apply']).catch((error: { stderr: string }) => error.stderr);
    expect(refusal).toContain(`reconcile: --min-age-seconds 0 with --apply could remove the bytes of an upload in flight`);
    expect(refusal).toContain(`use at least ${ORPHAN_MIN_AGE_FLOOR_SECONDS}, or add --force`);
    expect(await objectKeys()).toEqual([kept, orphan].sort());
    // This server runs no upload: its only one was answered above.
    const applied = await reconcileCommand(['--data-dir', dataDir, '--min-age-seconds', '0', '--apply', '--force']);
    expect(applied).toContain('1 removed');
    expect(await objectKeys()).toEqual([kept]);
  }, 30_000);

  it('reaches a deployed stack named by its outputs file, through the SDK’s endpoint and credential settings', async () => {
    const outputs = path.join(dataDir, 'cdk-outputs.json');
    const graphqlUrl = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql';
    await writeFile(
      outputs,
      JSON.stringify({ CodeCraftFiles: { GraphQLUrl: graphqlUrl, BucketName: server.storage.bucketName, TableName: server.storage.tableName } }),
    );
    const { storage } = server;
    const aws = {
      AWS_ENDPOINT_URL_S3: storage.s3Endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: storage.dynamodbEndpoint,
      AWS_ACCESS_KEY_ID: storage.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: storage.credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    };

    const report = await reconcileCommand(['--outputs', outputs], aws);

    expect(report).toContain(`Reconciling stack CodeCraftFiles (table ${storage.tableName}, bucket ${storage.bucketName}) (dry run)`);
    expect(report).toMatch(/Examined \d+ objects and \d+ rows\./);
  }, 30_000);
});
