import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsChunkedDecoder } from './aws-chunked';
import { checksumHeader, createHasher, declaredChecksum, isChecksumValue, type ChecksumAlgorithm, type DeclaredChecksum } from './checksums';
import { badDigest, invalidRequest, s3Error } from './errors';

/** What a PUT's headers promise about its body; checked against the bytes as they stream to disk. */
export interface BodyExpectations {
  /** Content-MD5, base64. */
  contentMd5?: string;
  checksum?: DeclaredChecksum;
  /** x-amz-content-sha256 when it is the payload's digest (hex) rather than UNSIGNED-PAYLOAD or STREAMING-…. */
  payloadSha256?: string;
  /** An aws-chunked body, and the length of the data it carries (x-amz-decoded-content-length). */
  chunked?: { decodedLength: number };
}

export interface ReceivedBody {
  size: number;
  md5: Buffer;
  /** The verified checksum, when the request declared one. */
  checksum?: { algorithm: ChecksumAlgorithm; digest: Buffer; value: string };
}

/** Reads the expectations of a PutObject or UploadPart from the headers the client sent. */
export function bodyExpectations(headers: Record<string, string | string[] | undefined>): BodyExpectations {
  const header = (name: string) => (headers[name] === undefined ? undefined : String(headers[name]));
  const contentSha256 = header('x-amz-content-sha256');
  const chunked = /(^|,)\s*aws-chunked\s*(,|$)/.test(header('content-encoding') ?? '') || /^STREAMING-/.test(contentSha256 ?? '');
  const expectations: BodyExpectations = { checksum: declaredChecksum(headers) };
  if (chunked) {
    const decodedLength = header('x-amz-decoded-content-length');
    if (!decodedLength || !/^\d+$/.test(decodedLength)) throw missingContentLength();
    expectations.chunked = { decodedLength: Number(decodedLength) };
  } else {
    // S3 takes no body of unknown length: a plain chunked PUT is refused before it is read.
    if (header('content-length') === undefined) throw missingContentLength();
    if (expectations.checksum && expectations.checksum.value === undefined) {
      throw invalidRequest('The x-amz-trailer header names a checksum, but the body is not aws-chunked.');
    }
  }
  const contentMd5 = header('content-md5');
  if (contentMd5 !== undefined) {
    if (Buffer.from(contentMd5, 'base64').length !== 16) throw s3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.');
    expectations.contentMd5 = contentMd5;
  }
  if (contentSha256 && /^[0-9a-f]{64}$/i.test(contentSha256)) expectations.payloadSha256 = contentSha256.toLowerCase();
  return expectations;
}

/**
 * Streams `source` into a new file at `target`, hashing as it goes (MD5 for
 * the ETag, plus whatever the request declared), then checks the digests.
 * Never buffers the body. On any failure `target` is removed and the error
 * (an S3Error when the body broke a promise) rethrown.
 */
export async function receiveBody(source: Readable, target: string, expectations: BodyExpectations): Promise<ReceivedBody> {
  const md5 = createHash('md5');
  const { checksum: declared, payloadSha256 } = expectations;
  const checksum = declared && createHasher(declared.algorithm);
  // A declared SHA-256 checksum is also the payload digest: hash once.
  const payload = payloadSha256 && declared?.algorithm !== 'SHA256' ? createHash('sha256') : undefined;
  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      checksum?.update(chunk);
      payload?.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const decoder = expectations.chunked ? new AwsChunkedDecoder() : undefined;
  const file = createWriteStream(target, { flags: 'wx' });
  try {
    await (decoder ? pipeline(source, decoder, hashing, file) : pipeline(source, hashing, file));
    const body: ReceivedBody = { size, md5: md5.digest() };
    const checksumDigest = checksum?.digest();
    verifyPayload(expectations, body, payload?.digest() ?? (declared?.algorithm === 'SHA256' ? checksumDigest : undefined));
    if (declared && checksumDigest) {
      const expected = declared.value ?? decoder?.trailers.get(checksumHeader(declared.algorithm));
      if (expected === undefined) throw invalidRequest(`The body's trailer lacks the ${checksumHeader(declared.algorithm)} its x-amz-trailer header names.`);
      if (!isChecksumValue(declared.algorithm, expected)) throw invalidRequest(`Value for ${checksumHeader(declared.algorithm)} trailing header is invalid.`);
      const value = checksumDigest.toString('base64');
      if (value !== expected) throw badDigest(declared.algorithm);
      body.checksum = { algorithm: declared.algorithm, digest: checksumDigest, value };
    }
    return body;
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}

function verifyPayload(expectations: BodyExpectations, body: ReceivedBody, sha256: Buffer | undefined): void {
  if (expectations.chunked && body.size !== expectations.chunked.decodedLength) {
    throw s3Error('IncompleteBody', 'You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header.');
  }
  if (expectations.contentMd5 && body.md5.toString('base64') !== expectations.contentMd5) {
    throw s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
      ExpectedDigest: Buffer.from(expectations.contentMd5, 'base64').toString('hex'),
      CalculatedDigest: body.md5.toString('hex'),
    });
  }
  if (expectations.payloadSha256 && sha256 && sha256.toString('hex') !== expectations.payloadSha256) {
    throw s3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
      ClientComputedContentSHA256: expectations.payloadSha256,
      S3ComputedContentSHA256: sha256.toString('hex'),
    });
  }
}

const missingContentLength = () => s3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.');
