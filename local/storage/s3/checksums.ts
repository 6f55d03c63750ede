import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { invalidRequest, s3Error } from './errors';

/**
 * S3's additional checksums: the algorithms, their headers, and hashers fed
 * chunk by chunk while a body streams to disk.
 */

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** S3 knows this one too; the embedded S3 refuses it rather than store it unchecked. */
const UNIMPLEMENTED_ALGORITHMS = ['CRC64NVME'];

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, SHA1: 20, SHA256: 32 };

export interface Hasher {
  update(chunk: Buffer): unknown;
  digest(): Buffer;
}

/** The header that carries an algorithm's value: `x-amz-checksum-sha256`. */
export const checksumHeader = (algorithm: string) => `x-amz-checksum-${algorithm.toLowerCase()}`;

export function createHasher(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'SHA1':
    case 'SHA256':
      return createHash(algorithm.toLowerCase());
    case 'CRC32':
      return crcHasher(zlib.crc32 ?? crcFunction(0xedb88320));
    case 'CRC32C':
      return crcHasher(crcFunction(0x82f63b78));
  }
}

export function parseChecksumAlgorithm(value: string): ChecksumAlgorithm {
  const algorithm = value.toUpperCase();
  if ((CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) return algorithm as ChecksumAlgorithm;
  if (UNIMPLEMENTED_ALGORITHMS.includes(algorithm)) {
    throw s3Error('NotImplemented', `The embedded S3 does not implement ${algorithm} checksums; use ${CHECKSUM_ALGORITHMS.join(', ')}.`);
  }
  throw s3Error(
    'InvalidRequest',
    `Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${[...CHECKSUM_ALGORITHMS, ...UNIMPLEMENTED_ALGORITHMS].join(', ')}]`,
  );
}

/** A value is the base64 of a digest of the algorithm's length, canonically encoded. */
export function isChecksumValue(algorithm: ChecksumAlgorithm, value: string): boolean {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === DIGEST_BYTES[algorithm] && bytes.toString('base64') === value;
}

/**
 * S3's checksum of a multipart object: the algorithm over the concatenated
 * raw part digests, in part order, then `-<part count>`.
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partDigests: Buffer[]): string {
  const hasher = createHasher(algorithm);
  for (const digest of partDigests) hasher.update(digest);
  return `${hasher.digest().toString('base64')}-${partDigests.length}`;
}

/** The checksum a request declares for its body: in a header, or (aws-chunked) in a trailer after it. */
export interface DeclaredChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64; undefined when it comes in the trailer. */
  value?: string;
}

const VALUE_HEADER = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/;

/**
 * The checksum `headers` declare. S3 takes one per request: a second, in
 * another header or the trailer, is refused, as is a value that is not a
 * digest of the algorithm's length.
 */
export function declaredChecksum(headers: Record<string, string | string[] | undefined>): DeclaredChecksum | undefined {
  const named = Object.keys(headers).filter((name) => VALUE_HEADER.test(name));
  const trailer = String(headers['x-amz-trailer'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => VALUE_HEADER.test(name));
  const declared = [...named, ...trailer];
  if (declared.length === 0) return undefined;
  if (declared.length > 1) {
    throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  }
  const [name] = declared;
  const algorithm = parseChecksumAlgorithm(name.slice('x-amz-checksum-'.length));
  if (trailer.length) return { algorithm };
  const value = String(headers[name]);
  if (!isChecksumValue(algorithm, value)) throw invalidRequest(`Value for ${name} header is invalid.`);
  return { algorithm, value };
}

function crcHasher(step: (data: Buffer, value: number) => number): Hasher {
  let value = 0;
  return {
    update: (chunk) => (value = step(chunk, value)),
    digest: () => {
      const digest = Buffer.alloc(4);
      digest.writeUInt32BE(value >>> 0);
      return digest;
    },
  };
}

/** A table-driven reflected CRC-32 for `polynomial`: CRC32C always, CRC32 where zlib lacks crc32 (Node < 20.15). */
function crcFunction(polynomial: number): (data: Buffer, value: number) => number {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (data, value) => {
    let crc = ~value;
    for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
    return ~crc >>> 0;
  };
}
