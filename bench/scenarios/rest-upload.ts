/** 3. POST /upload of 64 KiB vs the same raw pair as the write path. */
import { randomBytes } from 'node:crypto';
import { uploadRaw, uploadViaRest, type Bench } from '../context';
import { comparePair, type Pair, type RunOptions } from '../measure';
import { BODY_BYTES } from './write-path';

export async function restUpload(bench: Bench, options: RunOptions): Promise<Pair> {
  const bytes = randomBytes(BODY_BYTES);
  return comparePair(
    (i) => uploadViaRest(bench, 'bench-rest', `rest-${i}.bin`, bytes),
    (i) => uploadRaw(bench, 'bench-rest-raw', `raw-${i}.bin`, bytes),
    options,
  );
}
