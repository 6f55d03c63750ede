/** Timing and statistics: everything a scenario needs to turn samples into medians, p95s and ratios. */
import { performance } from 'node:perf_hooks';

export interface Stats {
  median: number;
  p95: number;
  samples: number;
}

export interface Pair {
  api: Stats;
  raw: Stats;
}

export interface RunOptions {
  warmup: number;
  iterations: number;
}

export const now = (): number => performance.now();

/** Milliseconds `fn` takes. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = now();
  await fn();
  return now() - start;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const stats = (samples: readonly number[]): Stats => ({ median: median(samples), p95: percentile(samples, 95), samples: samples.length });

/**
 * Warms both sides up, then times them `iterations` times each, interleaved and
 * alternating which goes first, so that drift (GC, JIT, growing tables) falls
 * on both sides alike. `i` is the iteration number, for unique names.
 */
export async function comparePair(
  api: (i: number) => Promise<unknown>,
  raw: (i: number) => Promise<unknown>,
  { warmup, iterations }: RunOptions,
): Promise<Pair> {
  for (let i = 0; i < warmup; i += 1) {
    await api(-1 - i);
    await raw(-1 - i);
  }
  const apiSamples: number[] = [];
  const rawSamples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    if (i % 2 === 0) {
      apiSamples.push(await timed(() => api(i)));
      rawSamples.push(await timed(() => raw(i)));
    } else {
      rawSamples.push(await timed(() => raw(i)));
      apiSamples.push(await timed(() => api(i)));
    }
  }
  return { api: stats(apiSamples), raw: stats(rawSamples) };
}

/** `task(i)` for every i below `count`, at most `width` at a time; their results, in order. */
export async function inFlight<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
  return results;
}

export const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);
