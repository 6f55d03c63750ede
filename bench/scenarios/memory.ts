/**
 * 5. Memory while uploading the largest inline file (675,000 bytes) 20 times
 * in a row over uploadFile. process.memoryUsage() is the whole process: the
 * HTTP server, the GraphQL runtime, the in-process Lambda, dynalite (rows in
 * memory), s3rver (objects in a temporary directory) and this client.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { uploadViaApi, type Bench } from '../context';
import { median } from '../measure';

export const LARGEST_INLINE_BYTES = 675_000;
export const UPLOADS = 20;
const SAMPLE_EVERY_MS = 2;
const SETTLE_MS = 50;

export interface Usage {
  heapUsed: number;
  external: number;
  rss: number;
}

export interface MemoryResult {
  fileBytes: number;
  uploads: number;
  samples: number;
  /** Whether a full GC could be forced (baselines are then free of old garbage). */
  gc: boolean;
  /** The 20 uploads back to back: peak minus the baseline before them. */
  peak: Usage;
  /** After the 20 uploads and a full GC, minus that baseline. */
  retained: Usage;
  /** One upload at a time, each after a full GC: median over the uploads of its own peak minus its baseline. */
  perUpload: Usage;
}

/** A full GC when the runtime allows it (V8 flag set at run time), else undefined. */
function gcFunction(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

const usage = (): Usage => {
  const { heapUsed, external, rss } = process.memoryUsage();
  return { heapUsed, external, rss };
};
const minus = (a: Usage, b: Usage): Usage => ({ heapUsed: a.heapUsed - b.heapUsed, external: a.external - b.external, rss: a.rss - b.rss });

/** Runs `fn` while sampling memory every few milliseconds (and once at the end); returns the peak of each measure. */
async function sampled(fn: () => Promise<void>): Promise<{ peak: Usage; samples: number }> {
  const peak = usage();
  let samples = 1;
  const sample = () => {
    const m = usage();
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
    peak.rss = Math.max(peak.rss, m.rss);
    samples += 1;
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  try {
    await fn();
    sample();
  } finally {
    clearInterval(timer);
  }
  return { peak, samples };
}

export async function memory(bench: Bench): Promise<MemoryResult> {
  const gc = gcFunction();
  // Twice, around a pause: buffers held by I/O still in flight (sockets, file streams) are let go in between.
  const collect = async () => {
    if (!gc) return;
    gc();
    await setTimeout(SETTLE_MS);
    gc();
  };
  const bytes = randomBytes(LARGEST_INLINE_BYTES);
  const upload = async (name: string) => {
    await uploadViaApi(bench, 'bench-memory', name, bytes);
  };
  // One upload first: code paths compiled, clients and pools created, before any baseline.
  await upload('warm-up.bin');

  await collect();
  const baseline = usage();
  const run = await sampled(async () => {
    for (let i = 0; i < UPLOADS; i += 1) await upload(`run-${i}.bin`);
  });
  await collect();
  const retained = minus(usage(), baseline);

  const single: Usage[] = [];
  let samples = run.samples;
  for (let i = 0; i < UPLOADS; i += 1) {
    await collect();
    const before = usage();
    const one = await sampled(() => upload(`single-${i}.bin`));
    single.push(minus(one.peak, before));
    samples += one.samples;
  }
  return {
    fileBytes: LARGEST_INLINE_BYTES,
    uploads: UPLOADS,
    samples,
    gc: gc !== undefined,
    peak: minus(run.peak, baseline),
    retained,
    perUpload: {
      heapUsed: median(single.map((u) => u.heapUsed)),
      external: median(single.map((u) => u.external)),
      rss: median(single.map((u) => u.rss)),
    },
  };
}
