/**
 * 6. A large file (1 GiB by default, BENCH_LARGE_MB) through the direct-upload
 * flow — createUploadUrl, parallel presigned part PUTs, completeUpload — vs
 * one PutObject of the same bytes with the SDK to the same embedded S3; then
 * its download through File.downloadUrl vs a GetObject; medians of three
 * rounds, interleaved. Both sides stream the
 * bytes from and to disk; the SHA-256s are computed before timing, as any
 * client that sends a checksum must. RSS is sampled during the API side:
 * the bytes never pass through the API's GraphQL path, only through the
 * embedded S3 (which shares this process).
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompleteUploadDocument, CreateUploadUrlDocument, FileDocument } from '../../generated/operations';
import { graphql, type Bench } from '../context';
import { comparePair, inFlight } from '../measure';

const MiB = 1024 * 1024;
const PART_BYTES = 64 * MiB;
const PARALLEL_PARTS = 4;
const RSS_EVERY_MS = 20;
const ROUNDS = 3;

export interface LargeTransferResult {
  bytes: number;
  rounds: number;
  /** Median milliseconds of each side. */
  upload: { api: number; raw: number };
  download: { api: number; raw: number };
  /** The largest growth of RSS during one API upload, over the RSS as it started. */
  rssGrowth: number;
}

async function writeRandomFile(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  for (let written = 0; written < bytes; written += MiB) {
    if (!out.write(randomBytes(Math.min(MiB, bytes - written)))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** PUTs a byte range of `file` with the signed headers, streaming; answers the ETag. */
function putRange(url: string, headersJson: string, file: string, start: number, end: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: JSON.parse(headersJson) }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(String(res.headers.etag)) : reject(new Error(`PUT ${res.statusCode}`))));
    });
    req.on('error', reject);
    createReadStream(file, { start, end: end - 1 }).pipe(req);
  });
}

/** Median milliseconds of each side over ROUNDS rounds, interleaved, the first side alternating. */
async function medians(api: () => Promise<unknown>, raw: () => Promise<unknown>): Promise<{ api: number; raw: number }> {
  const pair = await comparePair(api, raw, { warmup: 0, iterations: ROUNDS });
  return { api: pair.api.median, raw: pair.raw.median };
}

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

export async function largeTransfer(bench: Bench, bytes: number): Promise<LargeTransferResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'codecraft-bench-'));
  const file = path.join(dir, 'large.bin');
  try {
    await writeRandomFile(file, bytes);
    const partSha256: string[] = [];
    for (let start = 0; start < bytes; start += PART_BYTES)
      partSha256.push(await sha256Of(createReadStream(file, { start, end: Math.min(bytes, start + PART_BYTES) - 1 })));
    const wholeSha = Buffer.from(await sha256Of(createReadStream(file)), 'hex').toString('base64');
    const bucket = bench.server.storage.bucketName;
    // Warm-up, as the other scenarios have: the large-upload and download Lambdas load (a cold start) before timing.
    const warmBytes = Buffer.from('warm-up');
    const warm = (
      await graphql(bench, CreateUploadUrlDocument.toString(), {
        input: {
          projectID: 'bench-large',
          fileName: 'warm.txt',
          fileType: 'txt',
          size: warmBytes.length,
          sha256: createHash('sha256').update(warmBytes).digest('hex'),
        },
      })
    ).createUploadUrl;
    await fetch(warm.uploadUrl, {
      method: 'PUT',
      headers: Object.fromEntries(Object.entries(JSON.parse(warm.uploadHeaders)).filter(([name]) => name !== 'content-length')) as Record<string, string>,
      body: warmBytes,
    });
    await graphql(bench, CompleteUploadDocument.toString(), { input: { fileID: warm.fileID } });

    // Each side ROUNDS times, interleaved and alternating which goes first: one transfer of a GiB is at the
    // mercy of the disk's write-back, which can slow either side by a third.
    // RSS is sampled during the API uploads only: growth is each one's peak over its start, the largest kept.
    let rssGrowth = 0;
    let rssAtStart: number | undefined;
    const sampler = setInterval(() => {
      if (rssAtStart !== undefined) rssGrowth = Math.max(rssGrowth, process.memoryUsage().rss - rssAtStart);
    }, RSS_EVERY_MS);
    const apiUpload = async (): Promise<string> => {
      rssAtStart = process.memoryUsage().rss;
      const input = {
        projectID: 'bench-large',
        fileName: 'large.bin',
        fileType: 'bin',
        size: bytes,
        partSize: PART_BYTES,
        partSha256,
        clientToken: randomUUID(),
      };
      const ticket = (await graphql(bench, CreateUploadUrlDocument.toString(), { input })).createUploadUrl;
      const parts = await inFlight(ticket.parts.length, PARALLEL_PARTS, async (i) => {
        const part: { partNumber: number; url: string; headers: string } = ticket.parts[i];
        const start = (part.partNumber - 1) * PART_BYTES;
        return { partNumber: part.partNumber, etag: await putRange(part.url, part.headers, file, start, Math.min(bytes, start + PART_BYTES)) };
      });
      const completed = (await graphql(bench, CompleteUploadDocument.toString(), { input: { fileID: ticket.fileID, parts } })).completeUpload.fileID;
      rssAtStart = undefined;
      return completed;
    };
    // A fresh key each time, as each API upload gets a fresh fileID: replacing a GiB object costs a rename over it.
    let rawKey = '';
    const rawUpload = () => {
      rawKey = `bench-raw/${randomUUID()}/large.bin`;
      return bench.s3.send(new PutObjectCommand({ Bucket: bucket, Key: rawKey, Body: createReadStream(file), ContentLength: bytes, ChecksumSHA256: wholeSha }));
    };
    let fileID = '';
    const upload = await medians(async () => (fileID = await apiUpload()), rawUpload);
    clearInterval(sampler);

    const { downloadUrl } = (await graphql(bench, FileDocument.toString(), { fileID })).file;
    const download = await medians(
      async () => {
        const response = await fetch(downloadUrl);
        await pipeline(response.body as unknown as AsyncIterable<Uint8Array>, discard());
      },
      async () => {
        const object = await bench.s3.send(new GetObjectCommand({ Bucket: bucket, Key: rawKey }));
        await pipeline(object.Body as Readable, discard());
      },
    );
    return { bytes, rounds: ROUNDS, upload, download, rssGrowth };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
