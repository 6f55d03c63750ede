/**
 * What each Lambda bundle weighs, against its budget: printed by `npm run
 * build`, asserted by test/infra/lambda-bundles.test.ts, reported by the bench.
 *
 * The goal is 300 KB (issue 13). With the AWS SDK bundled, tree-shaken per
 * command and without the default credential chain, the S3 client and the
 * presigner weigh ~255 KB minified (@smithy/core alone 137 KB) and the
 * DynamoDB client ~70 KB more (its document client, lib-dynamodb, ~8 KB
 * on top), so only `download`, which presigns and nothing else, gets under
 * it; the upload Lambdas add file-type's signature detection (~72 KB). Each
 * budget is its bundle's size with room for ~10–20 KB of growth: bringing
 * back the default chain (+110 KB) or the aggregated S3 client (+75 KB)
 * breaks every one.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LambdaName } from './api-definition';
import { bundlePaths, distDir } from './bundle';

const KB = 1000;

export const lambdaBundleBudgets: Record<LambdaName, number> = {
  upload: 445 * KB,
  restUpload: 455 * KB,
  largeUpload: 450 * KB,
  deleteFile: 360 * KB,
  download: 280 * KB,
  reconcile: 365 * KB,
};

export interface BundleSize {
  name: string;
  bytes: number;
}

/** Every Lambda bundle in dist/functions (index.mjs, what the function loads; its source map lies beside it), by name. */
export async function lambdaBundleSizes(): Promise<BundleSize[]> {
  const names = (await readdir(path.join(distDir, 'functions'))).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: (await stat(bundlePaths.lambda(name))).size })));
}

export const budgetOf = (name: string): number | undefined => (lambdaBundleBudgets as Record<string, number>)[name];

/** One line per bundle: its size, its budget, and whether it is over. */
export function formatBundleSizes(sizes: BundleSize[]): string {
  const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`.padStart(9);
  return sizes
    .map(({ name, bytes }) => {
      const budget = budgetOf(name);
      const verdict = budget === undefined ? 'no budget' : bytes > budget ? `OVER its budget of ${kb(budget).trim()}` : `budget ${kb(budget).trim()}`;
      return `  ${`functions/${name}`.padEnd(24)} ${kb(bytes)}  ${verdict}`;
    })
    .join('\n');
}
