/** The detail tables and notes printed under the summary. */
import { ratio } from './measure';
import { SMALL_BYTES, type InlineMemoryResult } from './scenarios/inline-memory';
import type { LargeTransferResult } from './scenarios/large-transfer';
import type { UploadThroughputResult } from './scenarios/upload-throughput';

const times = (value: number): string => `${value.toFixed(2)}×`;
const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);

const table = (header: string[], rows: string[][]): string => [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

export const throughputDetail = (r: UploadThroughputResult): string =>
  `uploadFile of ${r.fileBytes.toLocaleString('en-US')} bytes, ${r.inFlight} in flight, from a client in another process: ${r.apiFilesPerSecond.toFixed(0)} files/s; ` +
  `raw PutObject + conditional PutItem: ${r.rawFilesPerSecond.toFixed(0)} files/s. ${r.rounds} rounds of ${r.perRound} per side, interleaved. ` +
  `CPU of the bench process (server and storage) per file: API ${r.apiCpuMsPerFile.toFixed(2)} ms, raw ${r.rawCpuMsPerFile.toFixed(2)} ms ` +
  `(raw ÷ API ${(r.rawCpuMsPerFile / r.apiCpuMsPerFile).toFixed(2)}×, less moved by other load than files/s).`;

export function inlineMemoryDetail(r: InlineMemoryResult): string {
  const perFile = (bytes: number) => times(bytes / r.fileBytes);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  return [
    table(
      [
        `one upload of ${r.fileBytes.toLocaleString('en-US')} bytes (server process)`,
        'heap ÷ file',
        'external ÷ file',
        'RSS ÷ file',
        `heap, ${SMALL_BYTES.toLocaleString('en-US')}-byte file`,
        'heap of the content alone ÷ file',
      ],
      [...r.paths, r.raw].map((p) => [
        p.path,
        perFile(p.perUpload.heapUsed),
        perFile(p.perUpload.external),
        perFile(p.perUpload.rss),
        kib(p.perSmallUpload.heapUsed),
        times(p.marginalHeapPerByte),
      ]),
    ),
    '',
    `Each after a full GC, median of ${r.uploads}, peak growth sampled every millisecond${r.gc ? '' : ' (no forced GC was available)'}; the client runs in another process, ` +
      `the raw calls in this one. Peak growth counts what a request allocates before the next collection, not only what it keeps. ` +
      `${r.uploads} uploadFile calls back to back: peak heap ${perFile(r.burstPeak.heapUsed)}, external ${perFile(r.burstPeak.external)}; ` +
      `retained after a full GC: heap ${perFile(r.retained.heapUsed)}, external ${perFile(r.retained.external)} (≈ 0 unless something leaks).`,
  ].join('\n');
}

/** Throughput ratios: above 1 means the API path is faster than the raw call. */
export function largeTransferTable({ bytes, rounds, upload, download, rssGrowth }: LargeTransferResult): string {
  const rate = (msTaken: number) => `${(bytes / 1_048_576 / (msTaken / 1000)).toFixed(0)} MiB/s`;
  return [
    table(
      ['transfer', 'API side', 'API', 'raw side', 'raw', 'throughput API/raw', 'goal'],
      [
        [
          'upload',
          'createUploadUrl + 64 MiB parts, 4 in parallel + completeUpload',
          rate(upload.api),
          'PutObject (one stream)',
          rate(upload.raw),
          `**${times(ratio(upload.raw, upload.api))}**`,
          '≥ 0.90×',
        ],
        ['download', 'GET downloadUrl', rate(download.api), 'GetObject', rate(download.raw), `**${times(ratio(download.raw, download.api))}**`, '≥ 0.90×'],
      ],
    ),
    '',
    `${mb(bytes)} MiB file; each figure the median of ${rounds} rounds, the sides interleaved. Process RSS growth during the API uploads: **${mb(rssGrowth)} MiB** (goal ≤ 100 MiB: no byte is buffered whole).`,
  ].join('\n');
}
