/**
 * uploadFile of 10 KB, 16 in flight, in files per second, against the raw pair
 * the upload Lambda's work boils down to (hash, S3 PutObject with
 * ChecksumSHA256 and If-None-Match, conditional DynamoDB PutItem), also 16 in
 * flight, with the AWS SDK v3 on the same storage. The API's client runs in
 * another process (client/remote.ts): its base64 and JSON encoding are not
 * the server's work. Rounds alternate between the sides, and which goes first.
 */
import { randomBytes } from 'node:crypto';
import { uploadRaw, type Bench } from '../context';
import { inFlight, now } from '../measure';
import { startRemoteClient } from '../client/remote';

export const THROUGHPUT_FILE_BYTES = 10_000;
export const IN_FLIGHT = 16;

export interface ThroughputOptions {
  /** Rounds per side after one warm-up round each. */
  rounds: number;
  /** Uploads per round. */
  perRound: number;
}

export interface UploadThroughputResult {
  fileBytes: number;
  inFlight: number;
  rounds: number;
  perRound: number;
  /** Files per second over all rounds of each side. */
  apiFilesPerSecond: number;
  rawFilesPerSecond: number;
  /** api ÷ raw: the goal is ≥ 0.8. */
  ratio: number;
  /**
   * CPU time (user + system) of this process per file: on the API side the
   * server's alone, on the raw side the SDK calls'; both include dynalite and
   * s3rver. Less sensitive than files/s to other load on the machine.
   */
  apiCpuMsPerFile: number;
  rawCpuMsPerFile: number;
}

/** `count` raw uploads, IN_FLIGHT at a time; milliseconds taken. */
async function rawBurst(bench: Bench, prefix: string, bytes: Buffer, count: number): Promise<number> {
  const started = now();
  await inFlight(count, IN_FLIGHT, (i) => uploadRaw(bench, 'bench-throughput-raw', `${prefix}-${i}.bin`, bytes));
  return now() - started;
}

export async function uploadThroughput(bench: Bench, { rounds, perRound }: ThroughputOptions): Promise<UploadThroughputResult> {
  const bytes = randomBytes(THROUGHPUT_FILE_BYTES);
  const client = await startRemoteClient(bench);
  try {
    await client.file('small', bytes);
    const api = (round: number) => client.burst('uploadFile', 'bench-throughput', `api-${round}`, 'small', perRound, IN_FLIGHT);
    const raw = (round: number) => rawBurst(bench, `raw-${round}`, bytes, perRound);
    await api(-1);
    await raw(-1);
    const totals = { api: { ms: 0, cpu: 0 }, raw: { ms: 0, cpu: 0 } };
    const measure = async (side: 'api' | 'raw', round: number) => {
      const cpu = process.cpuUsage();
      totals[side].ms += await (side === 'api' ? api(round) : raw(round));
      const { user, system } = process.cpuUsage(cpu);
      totals[side].cpu += (user + system) / 1000;
    };
    for (let round = 0; round < rounds; round += 1) {
      for (const side of round % 2 === 0 ? (['api', 'raw'] as const) : (['raw', 'api'] as const)) await measure(side, round);
    }
    const files = rounds * perRound;
    const apiFilesPerSecond = files / (totals.api.ms / 1000);
    const rawFilesPerSecond = files / (totals.raw.ms / 1000);
    return {
      fileBytes: THROUGHPUT_FILE_BYTES,
      inFlight: IN_FLIGHT,
      rounds,
      perRound,
      apiFilesPerSecond,
      rawFilesPerSecond,
      ratio: apiFilesPerSecond / rawFilesPerSecond,
      apiCpuMsPerFile: totals.api.cpu / files,
      rawCpuMsPerFile: totals.raw.cpu / files,
    };
  } finally {
    client.close();
  }
}
