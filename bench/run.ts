/**
 * `npm run bench`: API vs raw storage, as ratios measured in one run on one
 * in-memory local server. BENCH_ITERATIONS (default 50) and BENCH_WARMUP
 * (default 5) set the sample counts; BENCH_LARGE_MB (default 1024) the large transfer's size. Prints markdown; writes nothing.
 */
import './env';
import os from 'node:os';
import { startBench } from './context';
import { now, type RunOptions } from './measure';
import { largeTransferTable, memoryTable, notifyTable, pairTable } from './report';
import { memory } from './scenarios/memory';
import { notifyLatency, NOTIFY_BODY_BYTES } from './scenarios/notify-latency';
import { readPath } from './scenarios/read-path';
import { restUpload } from './scenarios/rest-upload';
import { writePath } from './scenarios/write-path';
import { largeTransfer } from './scenarios/large-transfer';
import { fanOut, fanOutLine } from './scenarios/fan-out';

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
}

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<void> {
  const options: RunOptions = { iterations: count('BENCH_ITERATIONS', 50), warmup: count('BENCH_WARMUP', 5) };
  const started = now();
  progress('starting the local server (in memory)…');
  const bench = await startBench();
  try {
    progress('1/6 read path');
    const read = await readPath(bench, options);
    progress('2/6 write path');
    const write = await writePath(bench, options);
    progress('3/6 REST upload');
    const rest = await restUpload(bench, options);
    progress('4/6 notify latency');
    const notify = await notifyLatency(bench, options);
    progress('fan-out to 1,000 subscribers');
    const fan = await fanOut(bench, { subscribers: 1000, uploads: options.iterations, warmup: options.warmup });
    progress('5/6 memory');
    const mem = await memory(bench);
    const largeBytes = count('BENCH_LARGE_MB', 1024) * 1024 * 1024;
    progress(`6/6 large transfer (${largeBytes / 1024 / 1024} MiB)`);
    const large = await largeTransfer(bench, largeBytes);

    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    console.log(`# CodeCraft Files — benchmarks

Node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} × ${cpu}. ${options.iterations} iterations after ${options.warmup} warm-up per side, interleaved.
Absolute times depend on the machine; compare the ratios. The raw side uses the AWS SDK v3 on the same dynalite/s3rver, in the same process.

## API vs raw storage

${pairTable([
  { name: '1. read path', api: 'filesByProject(limit: 20), HTTP', raw: 'Query byProject (Limit 20, desc)', pair: read },
  { name: '2. write path (64 KiB)', api: 'uploadFile, HTTP', raw: 'PutObject + PutItem', pair: write },
  { name: '3. REST (64 KiB)', api: 'POST /upload', raw: 'PutObject + PutItem', pair: rest },
])}

## Notify latency

${notifyTable(notify, NOTIFY_BODY_BYTES)}

## Fan-out

${fanOutLine(fan)}

## Memory

${memoryTable(mem)}

## Large files, straight to storage

${largeTransferTable(large)}

Total run: ${((now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await bench.close();
  }
}

await main();
