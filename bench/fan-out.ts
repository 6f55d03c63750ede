/**
 * The fan-out scenario alone (run.ts runs it with the rest), compiled by `node bench/fan-out.mjs`, or under
 * `node --cpu-prof bench/fan-out.mjs` to profile it. BENCH_SUBSCRIBERS (default 1000),
 * BENCH_ITERATIONS (uploads, default 50) and BENCH_WARMUP (default 5) set its size.
 */
import './env';
import { startBench } from './context';
import { fanOut, fanOutLine } from './scenarios/fan-out';

const count = (name: string, fallback: number) => Number(process.env[name] || fallback);

const bench = await startBench();
try {
  const result = await fanOut(bench, {
    subscribers: count('BENCH_SUBSCRIBERS', 1000),
    uploads: count('BENCH_ITERATIONS', 50),
    warmup: count('BENCH_WARMUP', 5),
  });
  console.log(fanOutLine(result));
} finally {
  await bench.close();
}
