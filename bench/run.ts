/**
 * `npm run bench`: the API against the raw storage calls it wraps, as ratios
 * measured in one run on one in-memory local server. Prints one markdown
 * table (and the details behind it) and writes bench/results.json and
 * bench/results.md. Environment: BENCH_ITERATIONS (default 50) and
 * BENCH_WARMUP (default 5) set the sample counts, BENCH_LARGE_PROJECT_ROWS
 * (default 100,000) the long listing, BENCH_LARGE_MB (default 1024) the
 * large transfer's size.
 */
import './env';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../infra/bundle';
import { lambdaBundleSizes } from '../infra/bundle-sizes';
import { startBench } from './context';
import { now, type RunOptions } from './measure';
import { inlineMemoryDetail, largeTransferTable, throughputDetail } from './report';
import { largeTransfer } from './scenarios/large-transfer';
import { inlineMemory } from './scenarios/inline-memory';
import { readPath } from './scenarios/read-path';
import { restUpload } from './scenarios/rest-upload';
import { typename } from './scenarios/typename';
import { uploadThroughput } from './scenarios/upload-throughput';
import { writePath } from './scenarios/write-path';
import { fanOut, fanOutLine } from './scenarios/fan-out';
import { ratioRow, summaryTable, valueRow, type SummaryRow } from './summary';

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
}

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const benchDir = path.join(projectRoot, 'bench');

async function main(): Promise<void> {
  const options: RunOptions = { iterations: count('BENCH_ITERATIONS', 50), warmup: count('BENCH_WARMUP', 5) };
  const largeProjectRows = count('BENCH_LARGE_PROJECT_ROWS', 100_000);
  const largeBytes = count('BENCH_LARGE_MB', 1024) * 1024 * 1024;
  const started = now();
  progress('starting the local server (in memory)…');
  const bench = await startBench();
  try {
    progress('read path, 1,000 files');
    const readSmall = await readPath(bench, 'bench-read-1k', 1000, options);
    progress(`read path, ${largeProjectRows.toLocaleString('en-US')} files (seeding them takes a while)`);
    const readLarge = await readPath(bench, 'bench-read-large', largeProjectRows, options);
    progress('{ __typename }');
    const fixed = await typename(bench, options);
    progress('write path');
    const write = await writePath(bench, options);
    progress('REST upload');
    const rest = await restUpload(bench, options);
    progress('upload throughput (uploadFile 10 KB, 16 in flight, client in another process)');
    const throughput = await uploadThroughput(bench, { rounds: 6, perRound: 160 });
    progress('memory per inline upload (the server process; client in another process)');
    const mem = await inlineMemory(bench);
    progress('fan-out to 1,000 subscribers');
    const fan = await fanOut(bench, { subscribers: 1000, uploads: options.iterations, warmup: options.warmup });
    progress(`large transfer (${largeBytes / 1_048_576} MiB)`);
    const large = await largeTransfer(bench, largeBytes);

    const bundles = await lambdaBundleSizes();
    const largeMiB = largeBytes / 1_048_576;
    /** Throughput of the API side against the raw one (ms taken for the same bytes); goal ≥ 0.9×. */
    const transferRow = (id: string, what: string, rawWhat: string, taken: { api: number; raw: number }) =>
      ratioRow(id, what, 'MiB/s', largeMiB / (taken.api / 1000), { what: rawWhat, value: largeMiB / (taken.raw / 1000) }, { atLeast: 0.9 });
    const query = { what: 'the same Query byProject, Limit 20, as the resolver sends', value: 0 };
    const rows: SummaryRow[] = [
      ratioRow(
        'read-1k',
        '`filesByProject(limit: 20)` p50, project of 1,000 files',
        'ms',
        readSmall.api.median,
        { ...query, value: readSmall.raw.median },
        { atMost: 1.5 },
      ),
      ratioRow(
        'read-large',
        `\`filesByProject(limit: 20)\` p50, project of ${largeProjectRows.toLocaleString('en-US')} files`,
        'ms',
        readLarge.api.median,
        { ...query, value: readLarge.raw.median },
        { atMost: 1.5 },
      ),
      ratioRow(
        'listing-flat',
        `listing p50 at ${largeProjectRows.toLocaleString('en-US')} files vs at 1,000`,
        'ms',
        readLarge.api.median,
        { what: 'the same at 1,000', value: readSmall.api.median },
        { atMost: 1.2 },
      ),
      valueRow(
        'typename',
        '`{ __typename }` round trip p50',
        'ms',
        fixed.api.median,
        { atMost: 0.5 },
        { what: 'bare node:http JSON echo', value: fixed.raw.median },
      ),
      ratioRow('write-64k', '`uploadFile` 64 KiB, one at a time, p50', 'ms', write.api.median, { what: 'PutObject + PutItem', value: write.raw.median }),
      ratioRow('rest-64k', '`POST /upload` 64 KiB, one at a time, p50', 'ms', rest.api.median, { what: 'PutObject + PutItem', value: rest.raw.median }),
      ratioRow(
        'upload-throughput',
        '`uploadFile` 10 KB, 16 in flight',
        'files/s',
        throughput.apiFilesPerSecond,
        { what: 'PutObject + conditional PutItem', value: throughput.rawFilesPerSecond },
        { atLeast: 0.8 },
      ),
      ...mem.paths.map((p) =>
        valueRow(
          `inline-heap-${p.path === 'uploadFile' ? 'graphql' : 'rest'}`,
          `heap per inline upload, \`${p.path}\` of ${mem.fileBytes.toLocaleString('en-US')} bytes`,
          '× file size',
          p.heapPerByte,
          { atMost: 3 },
          { what: `${mem.raw.path} of the same file, in-process`, value: mem.raw.heapPerByte },
        ),
      ),
      ...bundles.map(({ name, bytes }) =>
        valueRow(`bundle-${name}`, `Lambda bundle \`${name}\` (minified; map beside it)`, 'KB', bytes / 1000, { atMost: 300 }),
      ),
      transferRow('large-upload', `large upload of ${largeMiB} MiB: presigned parts, 4 at a time`, 'one PutObject', large.upload),
      transferRow('large-download', `large download of ${largeMiB} MiB: downloadUrl`, 'GetObject', large.download),
      valueRow(
        'fan-out-p99',
        'fan-out to 1,000 subscribers: uploadFile answer → each data frame, p99',
        'ms',
        fan.delay.p99,
        { atMost: 50 },
        { what: 'bare ws server, same frames', value: fan.raw.delay.p99 },
      ),
      valueRow('fan-out-lost', 'fan-out to 1,000 subscribers: frames lost or wrong', 'frames', fan.lost + fan.wrong, { atMost: 0 }),
      valueRow('large-upload-rss', 'RSS growth during the large upload', 'MiB', large.rssGrowth / 1_048_576, { atMost: 100 }),
    ];

    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const machine = `Node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} × ${cpu}`;
    const report = `# CodeCraft Files — benchmarks

${machine}. ${options.iterations} iterations after ${options.warmup} warm-up per side, interleaved; ${new Date().toISOString().slice(0, 10)}.
Absolute times depend on the machine; compare the ratios. The raw side uses the AWS SDK v3 on the same dynalite and s3rver, in the same process, over the same kind of HTTP client.

${summaryTable(rows)}

## Fan-out

${fanOutLine(fan)}

## Upload throughput

${throughputDetail(throughput)}

## Memory per inline upload

${inlineMemoryDetail(mem)}

## Large files, straight to storage

${largeTransferTable(large)}

Total run: ${((now() - started) / 1000).toFixed(1)} s.
`;
    console.log(report);
    await writeFile(path.join(benchDir, 'results.md'), report);
    await writeFile(path.join(benchDir, 'results.json'), `${JSON.stringify({ machine, date: new Date().toISOString(), options, rows }, null, 2)}\n`);
  } finally {
    await bench.close();
  }
}

await main();
