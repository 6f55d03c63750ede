/**
 * 5. The server's memory per inline upload of the largest inline file
 * (675,000 bytes, 900,000 base64 characters), over uploadFile and over POST
 * /upload. The client runs in another process (client/remote.ts), so
 * process.memoryUsage() here is the server's: HTTP, GraphQL, the in-process
 * Lambdas, and the embedded storage (dynalite's rows in memory, s3rver
 * streaming objects to a temporary directory) — what one `npm start` holds.
 * The raw side is the upload's own storage calls with the SDK in this process
 * (PutObject + PutItem of the same bytes): what the SDK and the embedded
 * storage allocate whoever calls them, the floor under both paths.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { uploadRaw, type Bench } from '../context';
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

/** The raw side: PutObject + PutItem of the same bytes with the SDK, in this process (as the Lambda makes them). */
export const RAW_PATH = 'PutObject + PutItem';

export interface PathMemory {
  path: UploadPath | typeof RAW_PATH;
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
  /** uploadFile and POST /upload. */
  paths: PathMemory[];
  /** The raw calls alone: what the SDK and the embedded storage allocate for the same file, the floor under both paths. */
  raw: PathMemory;
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
    const bytes = { largest: randomBytes(LARGEST_INLINE_BYTES), small: randomBytes(SMALL_BYTES) };
    await client.file('largest', bytes.largest);
    await client.file('small', bytes.small);
    let samples = 0;
    /** Median growth of one `upload` at a time, each after a full GC. */
    const perUpload = async (upload: (i: number) => Promise<unknown>): Promise<Usage> => {
      const single: Usage[] = [];
      for (let i = 0; i < UPLOADS; i += 1) {
        await collect();
        const before = usage();
        const run = await sampled(() => upload(i));
        single.push(minus(run.peak, before));
        samples += run.samples;
      }
      return medianUsage(single);
    };
    const measurePath = async (path: PathMemory['path'], upload: (file: 'largest' | 'small', name: string) => Promise<unknown>): Promise<PathMemory> => {
      // Code paths compiled, clients and pools created, before any baseline.
      for (const i of [0, 1]) await upload('largest', `warm-up-${i}`);
      const large = await perUpload((i) => upload('largest', `largest-${i}`));
      const small = await perUpload((i) => upload('small', `small-${i}`));
      return {
        path,
        perUpload: large,
        perSmallUpload: small,
        heapPerByte: large.heapUsed / LARGEST_INLINE_BYTES,
        marginalHeapPerByte: (large.heapUsed - small.heapUsed) / (LARGEST_INLINE_BYTES - SMALL_BYTES),
      };
    };

    const paths: PathMemory[] = [];
    for (const path of ['uploadFile', 'POST /upload'] as const) {
      paths.push(await measurePath(path, (file, name) => client.burst(path, 'bench-memory', `${path}-${name}`, file, 1, 1)));
    }
    const raw = await measurePath(RAW_PATH, (file, name) => uploadRaw(bench, 'bench-memory', `raw-${name}.bin`, bytes[file]));

    await collect();
    const baseline = usage();
    const burst = await sampled(() => client.burst('uploadFile', 'bench-memory', 'burst', 'largest', UPLOADS, 1));
    samples += burst.samples;
    await collect();
    const retained = minus(usage(), baseline);
    return { fileBytes: LARGEST_INLINE_BYTES, uploads: UPLOADS, samples, gc: gc !== undefined, paths, raw, burstPeak: minus(burst.peak, baseline), retained };
  } finally {
    client.close();
  }
}
