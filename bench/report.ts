/** The detail tables printed under the summary. */
import { ratio } from './measure';
import type { MemoryResult, Usage } from './scenarios/memory';
import type { LargeTransferResult } from './scenarios/large-transfer';

const times = (value: number): string => `${value.toFixed(2)}×`;
const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);

const table = (header: string[], rows: string[][]): string =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

export function memoryTable(result: MemoryResult): string {
  const uploaded = result.fileBytes * result.uploads;
  const perFile = (bytes: number) => times(bytes / result.fileBytes);
  const perUploaded = (bytes: number) => (bytes / uploaded).toFixed(3);
  const rows = (label: string, usage: Usage, total: boolean): string[][] => [
    [`${label}: heapUsed`, mb(usage.heapUsed), perFile(usage.heapUsed), total ? perUploaded(usage.heapUsed) : '–'],
    [`${label}: external (Buffers)`, mb(usage.external), perFile(usage.external), total ? perUploaded(usage.external) : '–'],
    [`${label}: RSS`, mb(usage.rss), perFile(usage.rss), total ? perUploaded(usage.rss) : '–'],
  ];
  return [
    table(
      ['memory growth (whole process)', 'MiB', `÷ file size (${result.fileBytes.toLocaleString('en-US')} B)`, `÷ bytes uploaded (${uploaded.toLocaleString('en-US')} B)`],
      [
        ...rows(`**peak** during ${result.uploads} back-to-back uploads`, result.peak, true),
        ...rows('retained after them + full GC', result.retained, true),
        ...rows('one upload after a full GC (median peak)', result.perUpload, false),
      ],
    ),
    '',
    `${result.uploads} sequential uploadFile calls of ${result.fileBytes.toLocaleString('en-US')} bytes, then ${result.uploads} more one at a time; ` +
      `${result.samples} samples of process.memoryUsage() every 2 ms${result.gc ? ', full GC before each baseline' : ' (no forced GC was available: baselines include garbage)'}.`,
  ].join('\n');
}

/** Throughput ratios: above 1 means the API path is faster than the raw call. */
export function largeTransferTable({ bytes, upload, download, rssGrowth }: LargeTransferResult): string {
  const rate = (msTaken: number) => `${(bytes / 1_048_576 / (msTaken / 1000)).toFixed(0)} MiB/s`;
  return [
    table(
      ['transfer', 'API side', 'API', 'raw side', 'raw', 'throughput API/raw', 'goal'],
      [
        ['upload', 'createUploadUrl + 64 MiB parts, 4 in parallel + completeUpload', rate(upload.api), 'PutObject (one stream)', rate(upload.raw), `**${times(ratio(upload.raw, upload.api))}**`, '≥ 0.90×'],
        ['download', 'GET downloadUrl', rate(download.api), 'GetObject', rate(download.raw), `**${times(ratio(download.raw, download.api))}**`, '≥ 0.90×'],
      ],
    ),
    '',
    `${mb(bytes)} MiB file. Process RSS growth during the API upload: **${mb(rssGrowth)} MiB** (goal ≤ 100 MiB: no byte is buffered whole).`,
  ].join('\n');
}
