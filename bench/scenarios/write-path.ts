/** 2. uploadFile of 64 KiB over HTTP vs the raw S3 PutObject + DynamoDB PutItem pair. */
import { randomBytes } from 'node:crypto';
import { uploadRaw, uploadViaApi, type Bench } from '../context';
import { comparePair, type Pair, type RunOptions } from '../measure';

export const BODY_BYTES = 64 * 1024;

export async function writePath(bench: Bench, options: RunOptions): Promise<Pair> {
  const bytes = randomBytes(BODY_BYTES);
  return comparePair(
    (i) => uploadViaApi(bench, 'bench-write', `api-${i}.bin`, bytes),
    (i) => uploadRaw(bench, 'bench-write-raw', `raw-${i}.bin`, bytes),
    options,
  );
}
