/**
 * 5. The server's memory per inline upload of the largest inline file
 * (675,000 bytes, 900,000 base64 characters), over uploadFile and over POST
 * /upload. The client runs in another process (client/remote.ts), so
 * process.memoryUsage() here is the server's: HTTP, GraphQL, the in-process
 * Lambdas, and the embedded storage (dynalite's rows in memory, s3rver
 * streaming objects to a temporary directory) — what one `npm start` holds.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Bench } from '../context';
import { median } from '../measure';
import { startRemoteClient, type RemoteClient, type UploadPath } from '../client/remote';

export const LARGEST_INLINE_BYTES = 675_000;
/** A file small enough that its upload's memory is the request's fixed cost. */
export const SMALL_BYTES = 1_000;
export const UPLOADS = 15;
const SAMPLE_EVERY_MS = 1;
const SETTLE_MS = 50;

export interface Usage {
  heapUsed: number;
  external: number;
  rss: number;
}

export interface PathMemory {
  path: UploadPath;
  /** One upload of the largest inline file at a time, each after a full GC: median over UPLOADS of its peak minus its baseline. */
  perUpload: Usage;
  /** The same for a SMALL_BYTES file: what a request costs whatever its size (SDK, GraphQL, storage bookkeeping). */
  perSmallUpload: Usage;
  /** perUpload.heapUsed ÷ file size: the "heap per inline upload". */
  heapPerByte: number;
  /** (perUpload − perSmallUpload).heapUsed ÷ the difference in size: the copies of the content alone. */
  marginalHeapPerByte: number;
}

export interface InlineMemoryResult {
  fileBytes: number;
  uploads: number;
  samples: number;
  /** Whether a full GC could be forced (baselines are then free of old garbage). */
  gc: boolean;
  paths: PathMemory[];
  /** UPLOADS uploadFile calls back to back: peak minus the baseline before them (garbage not yet collected included). */
  burstPeak: Usage;
  /** After them and a full GC, minus that baseline: ≈ 0 unless something leaks. */
  retained: Usage;
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
const medianUsage = (all: Usage[]): Usage => ({
  heapUsed: median(all.map((u) => u.heapUsed)),
  external: median(all.map((u) => u.external)),
  rss: median(all.map((u) => u.rss)),
});

/** Runs `fn` while sampling memory every millisecond (and once at the end); the peak of each measure. */
async function sampled(fn: () => Promise<unknown>): Promise<{ peak: Usage; samples: number }> {
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

export async function inlineMemory(bench: Bench): Promise<InlineMemoryResult> {
  const gc = gcFunction();
  // Twice, around a pause: buffers held by I/O still in flight (sockets, file streams) are let go in between.
  const collect = async () => {
    if (!gc) return;
    gc();
    await setTimeout(SETTLE_MS);
    gc();
  };
  const client: RemoteClient = await startRemoteClient(bench);
  try {
    await client.file('largest', randomBytes(LARGEST_INLINE_BYTES));
    await client.file('small', randomBytes(SMALL_BYTES));
    let samples = 0;
    /** Median growth of one upload at a time of `file`, each after a full GC. */
    const perUpload = async (path: UploadPath, file: string): Promise<Usage> => {
      const single: Usage[] = [];
      for (let i = 0; i < UPLOADS; i += 1) {
        await collect();
        const before = usage();
        const run = await sampled(() => client.burst(path, 'bench-memory', `${file}-${path}-${i}`, file, 1, 1));
        single.push(minus(run.peak, before));
        samples += run.samples;
      }
      return medianUsage(single);
    };

    const paths: PathMemory[] = [];
    for (const path of ['uploadFile', 'POST /upload'] as const) {
      // Code paths compiled, clients and pools created, before any baseline.
      await client.burst(path, 'bench-memory', `warm-up-${path}`, 'largest', 2, 1);
      const large = await perUpload(path, 'largest');
      const small = await perUpload(path, 'small');
      paths.push({
        path,
        perUpload: large,
        perSmallUpload: small,
        heapPerByte: large.heapUsed / LARGEST_INLINE_BYTES,
        marginalHeapPerByte: (large.heapUsed - small.heapUsed) / (LARGEST_INLINE_BYTES - SMALL_BYTES),
      });
    }

    await collect();
    const baseline = usage();
    const burst = await sampled(() => client.burst('uploadFile', 'bench-memory', 'burst', 'largest', UPLOADS, 1));
    samples += burst.samples;
    await collect();
    const retained = minus(usage(), baseline);
    return { fileBytes: LARGEST_INLINE_BYTES, uploads: UPLOADS, samples, gc: gc !== undefined, paths, burstPeak: minus(burst.peak, baseline), retained };
  } finally {
    client.close();
  }
}
