/**
 * SHA-256 as the API binds and reports it: of the whole file for one-request
 * uploads, of each `partSize` slice for multipart ones, whose File.sha256 is
 * S3's composite (`<hex>-<N>`: the SHA-256 of the parts' digests). Uploads
 * hash a file before asking for a ticket (storage refuses other bytes);
 * downloads hash what arrives, to check it against File.sha256.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { compositeSha256 } from '../functions/core/upload-plan';

/** Hashes a stream of chunks, whole or split into parts of `partSize` bytes, without holding more than a chunk. */
export class StreamDigest {
  readonly #partSize: number | undefined;
  readonly #parts: string[] = [];
  #hash: Hash = createHash('sha256');
  #filled = 0;

  constructor(partSize?: number) {
    this.#partSize = partSize;
  }

  update(chunk: Buffer): void {
    if (this.#partSize === undefined) {
      this.#hash.update(chunk);
      return;
    }
    // A chunk may straddle a part boundary: finish one part's digest, start the next.
    for (let offset = 0; offset < chunk.length;) {
      const take = Math.min(chunk.length - offset, this.#partSize - this.#filled);
      this.#hash.update(chunk.subarray(offset, offset + take));
      this.#filled += take;
      offset += take;
      if (this.#filled === this.#partSize) this.#endPart();
    }
  }

  #endPart(): void {
    this.#parts.push(this.#hash.digest('hex'));
    this.#hash = createHash('sha256');
    this.#filled = 0;
  }

  /** The whole stream's SHA-256 (no partSize), hex. */
  sha256(): string {
    return this.#hash.digest('hex');
  }

  /** Each part's SHA-256, hex, in order (with partSize); the last part may be short. */
  partSha256(): string[] {
    if (this.#filled > 0) this.#endPart();
    return this.#parts;
  }
}

/** Reads `file` once, streaming (1 MiB at a time), and hashes it as StreamDigest does. */
export async function hashFile(file: string, partSize: number | undefined, signal: AbortSignal, onBytes: (bytes: number) => void): Promise<StreamDigest> {
  const digest = new StreamDigest(partSize);
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024, signal })) {
    digest.update(chunk as Buffer);
    onBytes((chunk as Buffer).length);
  }
  return digest;
}

/** What File.sha256 (and partSize) promise about the bytes, when it is a form we can check. */
export type Expected = { kind: 'whole'; sha256: string } | { kind: 'composite'; sha256: string; partSize: number };

export function expectedChecksum(file: { sha256: string; partSize: number | null }): Expected | undefined {
  if (/^[0-9a-f]{64}$/.test(file.sha256)) return { kind: 'whole', sha256: file.sha256 };
  if (/^[0-9a-f]{64}-\d+$/.test(file.sha256) && file.partSize) return { kind: 'composite', sha256: file.sha256, partSize: file.partSize };
  return undefined;
}

/** The checksum of what a StreamDigest (made with the expectation's partSize) saw, in File.sha256's form. */
export const actualChecksum = (expected: Expected, digest: StreamDigest): string =>
  expected.kind === 'whole' ? digest.sha256() : compositeSha256(digest.partSha256());
