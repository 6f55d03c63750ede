/** Markdown tables for stdout. */
import { ratio, type Pair } from './measure';
import type { NotifyResult } from './scenarios/notify-latency';
import type { LargeTransferResult } from './scenarios/large-transfer';

const ms = (value: number): string => value.toFixed(2);
const times = (value: number): string => `${value.toFixed(2)}×`;
const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);

const table = (header: string[], rows: string[][]): string =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

export interface PairRow {
  name: string;
  api: string;
  raw: string;
  pair: Pair;
}

export function pairTable(rows: PairRow[]): string {
  return table(
    ['benchmark', 'API side', 'API median ms', 'API p95 ms', 'raw side', 'raw median ms', 'raw p95 ms', 'ratio API/raw (median)', 'ratio API/raw (p95)'],
    rows.map(({ name, api, raw, pair }) => [
      name,
      api,
      ms(pair.api.median),
      ms(pair.api.p95),
      raw,
      ms(pair.raw.median),
      ms(pair.raw.p95),
      `**${times(ratio(pair.api.median, pair.raw.median))}**`,
      times(ratio(pair.api.p95, pair.raw.p95)),
    ]),
  );
}

export function notifyTable(result: NotifyResult, bodyBytes: number): string {
  const { roundTrip, lag, sinceSend } = result;
  return [
    table(
      ['notify latency (uploadFile of ' + bodyBytes.toLocaleString('en-US') + ' bytes)', 'median ms', 'p95 ms'],
      [
        ['uploadFile round trip (request sent → response read)', ms(roundTrip.median), ms(roundTrip.p95)],
        ['lag: response read → `data` frame received', ms(lag.median), ms(lag.p95)],
        ['request sent → `data` frame received', ms(sinceSend.median), ms(sinceSend.p95)],
        ['**ratio lag / round trip**', `**${times(ratio(lag.median, roundTrip.median))}**`, times(ratio(lag.p95, roundTrip.p95))],
      ],
    ),
    '',
    `The frame arrived before the HTTP response in ${result.frameFirst} of ${roundTrip.samples} iterations (negative lag).`,
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
