/**
 * `npm run bench`: API vs raw storage, as ratios measured in one run on one
 * in-memory local server. BENCH_ITERATIONS (default 50) and BENCH_WARMUP
 * (default 5) set the sample counts; BENCH_LARGE_MB (default 1024) the large transfer's size. Prints markdown; writes nothing.
 */
import './env';
import os from 'node:os';
import { startBench } from './context';
import { now, type RunOptions } from './measure';
import { largeTransferTable, notifyTable, pairTable } from './report';
import { inlineMemory, SMALL_BYTES, type InlineMemoryResult } from './scenarios/inline-memory';
import { notifyLatency, NOTIFY_BODY_BYTES } from './scenarios/notify-latency';
import { readPath } from './scenarios/read-path';
import { restUpload } from './scenarios/rest-upload';
import { writePath } from './scenarios/write-path';
import { largeTransfer } from './scenarios/large-transfer';
import { uploadThroughput, type UploadThroughputResult } from './scenarios/upload-throughput';

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
}

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

// Plain lines until report.ts gives these results rows of its summary table.
const throughputLines = (r: UploadThroughputResult): string =>
  `uploadFile of ${r.fileBytes.toLocaleString('en-US')} bytes, ${r.inFlight} in flight: ${r.apiFilesPerSecond.toFixed(0)} files/s; ` +
  `raw PutObject + conditional PutItem: ${r.rawFilesPerSecond.toFixed(0)} files/s; **ratio ${r.ratio.toFixed(2)}×** (goal ≥ 0.8×). ` +
  `${r.rounds} rounds of ${r.perRound} per side, interleaved. CPU of the bench process per file: API (the server) ${r.apiCpuMsPerFile.toFixed(2)} ms, ` +
  `raw ${r.rawCpuMsPerFile.toFixed(2)} ms (raw ÷ API ${(r.rawCpuMsPerFile / r.apiCpuMsPerFile).toFixed(2)}×).`;

function memoryLines(r: InlineMemoryResult): string {
  const times = (bytes: number) => `${(bytes / r.fileBytes).toFixed(2)}×`;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  const paths = r.paths.map(
    (p) =>
      `- ${p.path}: heap **${times(p.perUpload.heapUsed)}** the file size (goal ≤ 3×), external ${times(p.perUpload.external)}, RSS ${times(p.perUpload.rss)}; ` +
      `a ${SMALL_BYTES.toLocaleString('en-US')}-byte file takes ${kib(p.perSmallUpload.heapUsed)} of heap, so the content itself costs ${p.marginalHeapPerByte.toFixed(2)}× on the heap`,
  );
  return [
    `One upload of ${r.fileBytes.toLocaleString('en-US')} bytes at a time after a full GC, median of ${r.uploads} (peak growth, sampled every millisecond${r.gc ? '' : '; no forced GC was available'}):`,
    ...paths,
    `- ${r.uploads} uploadFile calls back to back: peak heap ${times(r.burstPeak.heapUsed)}, external ${times(r.burstPeak.external)}; retained after a full GC: heap ${times(r.retained.heapUsed)}, external ${times(r.retained.external)} (≈ 0 unless something leaks)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const options: RunOptions = { iterations: count('BENCH_ITERATIONS', 50), warmup: count('BENCH_WARMUP', 5) };
  const started = now();
  progress('starting the local server (in memory)…');
  const bench = await startBench();
  try {
    progress('1/7 read path');
    const read = await readPath(bench, options);
    progress('2/7 write path');
    const write = await writePath(bench, options);
    progress('3/7 REST upload');
    const rest = await restUpload(bench, options);
    progress('4/7 notify latency');
    const notify = await notifyLatency(bench, options);
    progress('5/7 upload throughput (uploadFile 10 KB, 16 in flight, client in another process)');
    const throughput = await uploadThroughput(bench, { rounds: 6, perRound: 160 });
    progress('6/7 memory per inline upload (server process; client in another process)');
    const mem = await inlineMemory(bench);
    const largeBytes = count('BENCH_LARGE_MB', 1024) * 1024 * 1024;
    progress(`7/7 large transfer (${largeBytes / 1024 / 1024} MiB)`);
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

## Upload throughput

${throughputLines(throughput)}

## Memory per inline upload (the server process)

${memoryLines(mem)}

## Large files, straight to storage

${largeTransferTable(large)}

Total run: ${((now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await bench.close();
  }
}

await main();
