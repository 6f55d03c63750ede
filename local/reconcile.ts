/**
 * `npm run reconcile`: the reconciler (functions/core/reconcile.ts) against
 * the local server's storage or a deployed stack's, printing what it finds.
 * A dry run unless --apply.
 *   npm run reconcile                                   local: .data/endpoints.json (a running `npm start`)
 *   npm run reconcile -- --data-dir other               another local data directory
 *   npm run reconcile -- --outputs cdk-outputs.json     a deployed stack (the AWS credentials of the environment)
 *   npm run reconcile -- --apply                        remove the orphans found
 *   --min-age-seconds N   leave objects younger than N seconds (default: an upload ticket's lifetime);
 *                         with --apply at least ORPHAN_MIN_AGE_FLOOR_SECONDS, unless --force (no upload can be in flight)
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FUNCTION_TIMEOUT_SECONDS, readConfig, type FunctionConfig } from '../functions/core/config';
import { ORPHAN_MIN_AGE_FLOOR_SECONDS, ORPHAN_MIN_AGE_SECONDS } from '../functions/core/limits';
import { reconcile, type ReconcileReport } from '../functions/core/reconcile';
import { reconcileStores } from '../functions/core/reconcile-stores';
import { createStores } from '../functions/core/storage';
import { dataDirSetting, ENDPOINTS_FILE } from './data-dir';
import type { LocalEndpoints } from './endpoints';
import { localLambdaEnvironment } from './lambda-environment';
import { storageClients } from './storage/index';

interface Target {
  description: string;
  clients: { s3: S3Client; dynamodb: DynamoDBClient };
  config: FunctionConfig;
  /** No DynamoDB TTL runs locally: expired uploads are discarded here too. */
  local: boolean;
}

async function localTarget(dataDir: string): Promise<Target> {
  const file = path.join(dataDir, ENDPOINTS_FILE);
  const endpoints = JSON.parse(
    await readFile(file, 'utf8').catch(() => {
      throw new Error(`no ${file}: start the local server first (npm start), or name a deployed stack with --outputs cdk-outputs.json`);
    }),
  ) as LocalEndpoints;
  const { storage } = endpoints;
  return {
    description: `local storage of ${dataDir} (table ${storage.tableName}, bucket ${storage.bucketName})`,
    clients: storageClients(storage),
    config: readConfig(localLambdaEnvironment(storage)),
    local: true,
  };
}

const APPSYNC_REGION = /\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com$/;

async function deployedTarget(file: string): Promise<Target> {
  const stacks = Object.entries(JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, string>>);
  const found = stacks.find(([, outputs]) => outputs.BucketName && outputs.TableName);
  if (!found)
    throw new Error(`${file} names no stack with BucketName and TableName outputs: write it with \`npx cdk deploy --outputs-file ${path.basename(file)}\``);
  const [stack, outputs] = found;
  // As the Lambdas read it (functions/core/config.ts): for an S3-compatible endpoint given in AWS_ENDPOINT_URL_S3.
  const forcePathStyle = process.env.S3_FORCE_PATH_STYLE === 'true';
  const region = APPSYNC_REGION.exec(new URL(outputs.GraphQLUrl ?? 'http://unknown').hostname)?.[1] ?? process.env.AWS_REGION;
  return {
    description: `stack ${stack} (table ${outputs.TableName}, bucket ${outputs.BucketName})`,
    clients: { s3: new S3Client({ region, forcePathStyle }), dynamodb: new DynamoDBClient({ region }) },
    config: { filesTable: outputs.TableName, filesBucket: outputs.BucketName, s3ForcePathStyle: forcePathStyle },
    local: false,
  };
}

function reportLines(report: ReconcileReport, minAge: number): string[] {
  const verb = report.applied ? 'removed' : 'found (dry run: --apply removes them)';
  return [
    `Examined ${report.examinedObjects} objects and ${report.examinedRows} rows.`,
    `Orphan objects (no row names them, older than ${minAge} s): ${report.orphanObjects.length} ${verb}`,
    ...report.orphanObjects.map((key) => `  ${key}`),
    `Uploads never completed, past their expiry: ${report.expiredUploads} ${report.applied ? 'discarded' : 'found'}`,
    `Rows whose object is missing (reported only, never deleted): ${report.rowsWithoutObjects.length}`,
    ...report.rowsWithoutObjects.map((fileID) => `  ${fileID}`),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      apply: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: dataDirSetting() },
      outputs: { type: 'string' },
      'min-age-seconds': { type: 'string', default: String(ORPHAN_MIN_AGE_SECONDS) },
    },
  });
  const minAge = Number(values['min-age-seconds']);
  if (!Number.isInteger(minAge) || minAge < 0) throw new Error(`--min-age-seconds takes a whole number of seconds, not "${values['min-age-seconds']}"`);
  if (values.apply && minAge < ORPHAN_MIN_AGE_FLOOR_SECONDS && !values.force) {
    throw new Error(
      `--min-age-seconds ${minAge} with --apply could remove the bytes of an upload in flight (its row follows its object by up to ${FUNCTION_TIMEOUT_SECONDS} s): use at least ${ORPHAN_MIN_AGE_FLOOR_SECONDS}, or add --force when no upload can be running`,
    );
  }
  const target = values.outputs ? await deployedTarget(path.resolve(values.outputs)) : await localTarget(path.resolve(values['data-dir']));
  try {
    console.log(`Reconciling ${target.description}${values.apply ? '' : ' (dry run)'}`);
    const deps = { ...createStores(target.config, target.clients), stores: reconcileStores(target.clients, target.config) };
    const report = await reconcile(deps, { apply: values.apply, minOrphanAgeSeconds: minAge, expirePending: target.local });
    for (const line of reportLines(report, minAge)) console.log(line);
  } finally {
    target.clients.s3.destroy();
    target.clients.dynamodb.destroy();
  }
}

main().catch((error) => {
  console.error(`reconcile: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
