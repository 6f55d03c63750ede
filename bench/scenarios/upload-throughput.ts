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
import { now } from '../measure';
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
}

/** `count` raw uploads, `inFlight` at a time; milliseconds taken. */
async function rawBurst(bench: Bench, prefix: string, bytes: Buffer, count: number): Promise<number> {
  const started = now();
  let next = 0;
  const lane = async () => {
    while (next < count) await uploadRaw(bench, 'bench-throughput-raw', `${prefix}-${next++}.bin`, bytes);
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count) }, lane));
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
    let apiMs = 0;
    let rawMs = 0;
    for (let round = 0; round < rounds; round += 1) {
      if (round % 2 === 0) {
        apiMs += await api(round);
        rawMs += await raw(round);
      } else {
        rawMs += await raw(round);
        apiMs += await api(round);
      }
    }
    const files = rounds * perRound;
    const apiFilesPerSecond = files / (apiMs / 1000);
    const rawFilesPerSecond = files / (rawMs / 1000);
    return { fileBytes: THROUGHPUT_FILE_BYTES, inFlight: IN_FLIGHT, rounds, perRound, apiFilesPerSecond, rawFilesPerSecond, ratio: apiFilesPerSecond / rawFilesPerSecond };
  } finally {
    client.close();
  }
}
