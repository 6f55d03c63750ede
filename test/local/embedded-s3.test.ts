/**
 * The embedded S3 enforces what S3 enforces and plain s3rver ignores:
 * checksums, conditional writes, signatures that bind presigned URLs, and
 * the multipart rules. Exercised through the real AWS SDK v3 client, its
 * presigner, and plain fetch for presigned requests, as clients use them.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type CompletedPart,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedService } from '../../local/storage/embedded-dynamodb';
import { startEmbeddedS3 } from '../../local/storage/embedded-s3';
import { newAccessKeyPair } from '../../local/state';

const CREDENTIALS = newAccessKeyPair();
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
const Bucket = 'embedded-s3-checks';
const MiB = 1024 * 1024;

let s3: EmbeddedService;
let client: S3Client;
const clients: S3Client[] = [];

/** An SDK client of the embedded S3; `config` overrides the defaults. */
function s3Client(config: Partial<S3ClientConfig> = {}): S3Client {
  const made = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS, ...config });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  s3 = await startEmbeddedS3({ credentials: CREDENTIALS });
  client = s3Client();
  await client.send(new CreateBucketCommand({ Bucket }));
});

afterAll(async () => {
  clients.forEach((made) => made.destroy());
  await s3?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
const md5Hex = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const newKey = (name: string) => `checks/${randomUUID()}/${name}`;

/** What an SDK call was refused with. */
async function refusal(call: Promise<unknown>): Promise<{ status?: number; code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof S3ServiceException)) throw error;
    return { status: error.$metadata.httpStatusCode, code: error.name, message: error.message };
  }
  throw new Error('the call succeeded');
}

/** S3's XML error document, as a presigned request's answer carries it. */
async function errorOf(response: Response): Promise<{ status: number; code?: string; message?: string }> {
  const xml = await response.text();
  return { status: response.status, code: /<Code>(.*?)<\/Code>/.exec(xml)?.[1], message: /<Message>(.*?)<\/Message>/.exec(xml)?.[1] };
}

/** The files under `folder` (links included), their unique parts named: `<upload>` for an upload's id, `<id>` for a name's random suffix. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) =>
      path
        .relative(folder, path.join(entry.parentPath, entry.name))
        .replace(/\b[0-9a-f]{32}\b/g, '<upload>')
        .replace(/\.[0-9a-f]{16}\b/g, '.<id>'),
    )
    .sort();
}

const plainObjectFiles = (key: string) => [`${key}._S3rver_metadata.json`, `${key}._S3rver_object`, `${key}._S3rver_object.md5`];

/** The object's size and checksum as HeadObject answers them; undefined when there is none. */
async function head(Key: string) {
  try {
    const answer = await client.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    return { size: answer.ContentLength, contentType: answer.ContentType, sha256: answer.ChecksumSHA256, checksumType: answer.ChecksumType, etag: answer.ETag };
  } catch (error) {
    if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
    throw error;
  }
}

async function keysUnder(Prefix: string): Promise<string[]> {
  const { Contents } = await client.send(new ListObjectsV2Command({ Bucket, Prefix }));
  return (Contents ?? []).map((object) => object.Key!);
}

async function read(Key: string, Range?: string) {
  const object = await client.send(new GetObjectCommand({ Bucket, Key, Range }));
  return { bytes: Buffer.from(await object.Body!.transformToByteArray()), sha256: object.ChecksumSHA256, contentType: object.ContentType };
}

const BadDigestSHA256 = { status: 400, code: 'BadDigest', message: 'The SHA256 you specified did not match the calculated checksum.' };
const SignatureDoesNotMatch = {
  status: 403,
  code: 'SignatureDoesNotMatch',
  message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
};

describe('PutObject with a SHA-256 checksum', () => {
  it('stores the object with its checksum, answered with checksum mode on and for whole-object reads only', async () => {
    const Key = newKey('checked.txt');
    const body = Buffer.from('checked bytes');

    const put = await client.send(new PutObjectCommand({ Bucket, Key, Body: body, ChecksumSHA256: sha256(body), ContentType: 'text/plain' }));

    expect(put).toMatchObject({ ETag: `"${md5Hex(body)}"`, ChecksumSHA256: sha256(body) });
    expect(await head(Key)).toEqual({
      size: body.length,
      contentType: 'text/plain',
      sha256: sha256(body),
      checksumType: 'FULL_OBJECT',
      etag: `"${md5Hex(body)}"`,
    });
    expect((await client.send(new HeadObjectCommand({ Bucket, Key }))).ChecksumSHA256).toBeUndefined();
    expect(await read(Key)).toEqual({ bytes: body, sha256: sha256(body), contentType: 'text/plain' });
    // A range is not the object: S3 answers no checksum for it.
    expect(await read(Key, 'bytes=0-6')).toEqual({ bytes: Buffer.from('checked'), sha256: undefined, contentType: 'text/plain' });
    // As S3 reads them (s3rver read `bytes=-5` as `bytes=0-5`, and `bytes=0-0` as the whole object).
    expect((await read(Key, 'bytes=-5')).bytes.toString()).toBe('bytes');
    expect((await read(Key, 'bytes=0-0')).bytes.toString()).toBe('c');
  });

  it('refuses a body that does not match with BadDigest, and stores nothing', async () => {
    const Key = newKey('mismatch.txt');

    const refused = await refusal(client.send(new PutObjectCommand({ Bucket, Key, Body: 'other bytes', ChecksumSHA256: sha256(Buffer.from('the bytes')) })));

    expect(refused).toEqual(BadDigestSHA256);
    expect(await head(Key)).toBeUndefined();
    expect(await keysUnder(Key)).toEqual([]);
  });

  it('shows no object while its body is still arriving, nor after that body turns out wrong', async () => {
    const Key = newKey('streaming.bin');
    const declared = Buffer.alloc(64 * 1024, 1);
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket, Key, ContentLength: declared.length, ChecksumSHA256: sha256(declared) }), {
      unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
    });
    const upload = startPut(url, { 'content-length': String(declared.length), 'x-amz-checksum-sha256': sha256(declared) });

    upload.write(declared.subarray(0, 32 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await keysUnder(Key)).toEqual([]);
    expect(await head(Key)).toBeUndefined();
    upload.end(Buffer.alloc(32 * 1024, 2));

    expect(await upload.answer).toMatchObject(BadDigestSHA256);
    expect(await keysUnder(Key)).toEqual([]);
  });

  it('keeps the SDK default working: a CRC32 checksum is verified, stored and checked by the SDK on read', async () => {
    const Key = newKey('default.txt');

    const put = await client.send(new PutObjectCommand({ Bucket, Key, Body: 'hello' }));
    const object = await client.send(new GetObjectCommand({ Bucket, Key }));

    expect(put.ChecksumCRC32).toBe('NhCmhg==');
    expect(object.ChecksumCRC32).toBe('NhCmhg==');
    expect(await object.Body!.transformToString()).toBe('hello');
    expect(await refusal(client.send(new PutObjectCommand({ Bucket, Key: newKey('bad-crc'), Body: 'hello', ChecksumCRC32: 'AAAAAA==' })))).toEqual({
      status: 400,
      code: 'BadDigest',
      message: 'The CRC32 you specified did not match the calculated checksum.',
    });
  });

  it('verifies and keeps the other checksums S3 computes (CRC32C, SHA1), as the SDK computes them', async () => {
    const [crc32c, sha1] = [newKey('crc32c.txt'), newKey('sha1.txt')];

    await client.send(new PutObjectCommand({ Bucket, Key: crc32c, Body: 'hello', ChecksumAlgorithm: 'CRC32C' }));
    await client.send(new PutObjectCommand({ Bucket, Key: sha1, Body: 'hello', ChecksumAlgorithm: 'SHA1' }));

    expect((await client.send(new HeadObjectCommand({ Bucket, Key: crc32c, ChecksumMode: 'ENABLED' }))).ChecksumCRC32C).toBe('mnG7TA==');
    expect((await client.send(new HeadObjectCommand({ Bucket, Key: sha1, ChecksumMode: 'ENABLED' }))).ChecksumSHA1).toBe(
      createHash('sha1').update('hello').digest('base64'),
    );
  });

  it('copies an object with its checksum, replacing the rest of its metadata when asked', async () => {
    const [source, copy, replaced] = [newKey('source.txt'), newKey('copy.txt'), newKey('replaced.txt')];
    const body = Buffer.from('copied bytes');
    await client.send(new PutObjectCommand({ Bucket, Key: source, Body: body, ChecksumSHA256: sha256(body), ContentType: 'text/plain' }));

    await client.send(new CopyObjectCommand({ Bucket, Key: copy, CopySource: `${Bucket}/${source}` }));
    await client.send(
      new CopyObjectCommand({ Bucket, Key: replaced, CopySource: `${Bucket}/${source}`, MetadataDirective: 'REPLACE', ContentType: 'text/csv' }),
    );

    const expected = { size: body.length, sha256: sha256(body), checksumType: 'FULL_OBJECT', etag: `"${md5Hex(body)}"` };
    expect(await head(copy)).toEqual({ ...expected, contentType: 'text/plain' });
    expect(await head(replaced)).toEqual({ ...expected, contentType: 'text/csv' });
  });

  it('decodes the aws-chunked body the SDK sends for a stream, checking the checksum in its trailer', async () => {
    const Key = newKey('stream.txt');
    const body = Buffer.from('streamed through aws-chunked');

    await client.send(new PutObjectCommand({ Bucket, Key, Body: Readable.from([body]), ContentLength: body.length, ChecksumAlgorithm: 'SHA256' }));

    expect(await head(Key)).toMatchObject({ size: body.length, sha256: sha256(body) });
    expect((await read(Key)).bytes).toEqual(body);
  });
});

describe('PutObject with If-None-Match: *', () => {
  it('refuses to overwrite an existing key with 412 PreconditionFailed, leaving the object as it was', async () => {
    const Key = newKey('kept.txt');
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'first', IfNoneMatch: '*' }));

    const refused = await refusal(client.send(new PutObjectCommand({ Bucket, Key, Body: 'second', IfNoneMatch: '*' })));

    expect(refused).toEqual({ status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold' });
    expect((await read(Key)).bytes.toString()).toBe('first');
  });

  it('takes If-Match as S3 does: the current ETag writes, another is 412, a missing key 404', async () => {
    const Key = newKey('matched.txt');
    const { ETag } = await client.send(new PutObjectCommand({ Bucket, Key, Body: 'v1' }));

    expect(await refusal(client.send(new PutObjectCommand({ Bucket, Key, Body: 'v2', IfMatch: `"${md5Hex(Buffer.from('v0'))}"` })))).toMatchObject({
      status: 412,
      code: 'PreconditionFailed',
    });
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'v2', IfMatch: ETag }));
    expect((await read(Key)).bytes.toString()).toBe('v2');
    expect(await refusal(client.send(new PutObjectCommand({ Bucket, Key: newKey('absent.txt'), Body: 'v1', IfMatch: ETag })))).toMatchObject({
      status: 404,
      code: 'NoSuchKey',
    });
  });

  it('lets exactly one of two concurrent conditional PUTs win, and the object is wholly the winner’s', async () => {
    for (let round = 0; round < 5; round++) {
      const Key = newKey('race.txt');
      const bodies = [Buffer.alloc(256 * 1024, 'a'), Buffer.alloc(200 * 1024, 'b')];
      const types = ['text/a', 'text/b'];

      const outcomes = await Promise.allSettled(
        bodies.map((Body, i) =>
          client.send(new PutObjectCommand({ Bucket, Key, Body, ChecksumSHA256: sha256(Body), ContentType: types[i], IfNoneMatch: '*' })),
        ),
      );

      const winner = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const loser = outcomes[1 - winner] as PromiseRejectedResult;
      expect(loser.reason).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
      const { bytes, ...stored } = await read(Key);
      expect(stored).toEqual({ sha256: sha256(bodies[winner]), contentType: types[winner] });
      // (Buffer.equals: toEqual walks large buffers byte by byte.)
      expect(bytes.equals(bodies[winner])).toBe(true);
      expect(await keysUnder(Key)).toEqual([Key]);
    }
  });
});

/** The way to presign a PUT that S3 holds to its size and checksum: the checksum signed as a header, not hoisted into the query. */
function presignBoundPut(Key: string, body: Buffer, contentType: string, options: { expiresIn?: number; signingDate?: Date } = {}) {
  return getSignedUrl(client, new PutObjectCommand({ Bucket, Key, ContentLength: body.length, ChecksumSHA256: sha256(body), ContentType: contentType }), {
    expiresIn: 300,
    ...options,
    unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
    signableHeaders: new Set(['content-length', 'content-type', 'x-amz-checksum-sha256']),
  });
}

describe('a presigned PUT that signs Content-Length and x-amz-checksum-sha256', () => {
  const body = Buffer.from('exactly these bytes');
  const headers = (overrides: Record<string, string> = {}) => ({ 'content-type': 'text/plain', 'x-amz-checksum-sha256': sha256(body), ...overrides });

  it('signs them as headers the request must carry', async () => {
    const url = new URL(await presignBoundPut(newKey('signed.txt'), body, 'text/plain'));

    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;x-amz-checksum-sha256');
    expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
  });

  it('stores the right bytes sent with the signed headers', async () => {
    const Key = newKey('right.txt');

    const response = await fetch(await presignBoundPut(Key, body, 'text/plain'), { method: 'PUT', headers: headers(), body });

    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${md5Hex(body)}"`);
    expect(await read(Key)).toEqual({ bytes: body, sha256: sha256(body), contentType: 'text/plain' });
  });

  it('refuses other bytes of the same length with BadDigest, and stores nothing', async () => {
    const Key = newKey('other-bytes.txt');
    const other = Buffer.from('exactly thoze bytes');

    const response = await fetch(await presignBoundPut(Key, body, 'text/plain'), { method: 'PUT', headers: headers(), body: other });

    expect(await errorOf(response)).toEqual(BadDigestSHA256);
    expect(await head(Key)).toBeUndefined();
  });

  it('refuses another checksum, another length, a missing checksum or another content type with SignatureDoesNotMatch', async () => {
    const Key = newKey('tampered.txt');
    const url = await presignBoundPut(Key, body, 'text/plain');
    const other = Buffer.from('exactly thoze bytes');
    const longer = Buffer.concat([body, Buffer.from('!')]);
    const { 'x-amz-checksum-sha256': _checksum, ...withoutChecksum } = headers();

    const attempts = [
      fetch(url, { method: 'PUT', headers: headers({ 'x-amz-checksum-sha256': sha256(other) }), body: other }),
      fetch(url, { method: 'PUT', headers: headers({ 'x-amz-checksum-sha256': sha256(longer) }), body: longer }),
      fetch(url, { method: 'PUT', headers: withoutChecksum, body: other }),
      fetch(url, { method: 'PUT', headers: headers({ 'content-type': 'text/html' }), body }),
    ];

    for (const response of await Promise.all(attempts)) expect(await errorOf(response)).toEqual(SignatureDoesNotMatch);
    expect(await head(Key)).toBeUndefined();
  });

  it('refuses the URL used for another key, or with its signature stripped', async () => {
    const Key = newKey('elsewhere.txt');
    const url = new URL(await presignBoundPut(newKey('intended.txt'), body, 'text/plain'));
    const elsewhere = new URL(url);
    elsewhere.pathname = `/${Bucket}/${Key}`;
    const unsigned = new URL(url.pathname, url.origin);

    expect(await errorOf(await fetch(elsewhere, { method: 'PUT', headers: headers(), body }))).toEqual(SignatureDoesNotMatch);
    expect(await errorOf(await fetch(unsigned, { method: 'PUT', headers: headers(), body }))).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'Access Denied',
    });
    expect(await head(Key)).toBeUndefined();
  });

  it('refuses an expired URL with AccessDenied: Request has expired', async () => {
    const Key = newKey('late.txt');
    const url = await presignBoundPut(Key, body, 'text/plain', { expiresIn: 60, signingDate: new Date(Date.now() - 61_000) });

    const response = await fetch(url, { method: 'PUT', headers: headers(), body });

    expect(await errorOf(response)).toEqual({ status: 403, code: 'AccessDenied', message: 'Request has expired' });
    expect(await head(Key)).toBeUndefined();
  });

  it('binds no checksum when the presigner hoists it into the query string, as on S3 (which ignores it there)', async () => {
    const Key = newKey('hoisted.txt');
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket, Key, ContentLength: body.length, ChecksumSHA256: sha256(body) }), {
      signableHeaders: new Set(['content-length', 'x-amz-checksum-sha256']),
    });
    const other = Buffer.from('exactly thoze bytes');

    expect(new URL(url).searchParams.get('x-amz-checksum-sha256')).toBe(sha256(body));
    // Sent as a header too, the checksum is one the signature does not cover.
    expect(await errorOf(await fetch(url, { method: 'PUT', headers: { 'x-amz-checksum-sha256': sha256(body) }, body }))).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'There were headers present in the request which were not signed',
    });
    expect((await fetch(url, { method: 'PUT', body: other })).status).toBe(200);
    expect((await read(Key)).bytes).toEqual(other);
  });
});

describe('a presigned PUT made with the presigner’s defaults', () => {
  it('takes any body: the CRC32 of an empty body the SDK hoists into the query is ignored, as on S3', async () => {
    const Key = newKey('defaults.txt');
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket, Key }));

    const response = await fetch(url, { method: 'PUT', body: 'any bytes' });

    expect(new URL(url).searchParams.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
    expect(response.status).toBe(200);
    expect((await read(Key)).bytes.toString()).toBe('any bytes');
  });
});

describe('signatures of SDK requests', () => {
  it('refuses a request signed with the wrong secret', async () => {
    const impostor = s3Client({ credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' } });
    const Key = newKey('impostor.txt');

    expect(await refusal(impostor.send(new PutObjectCommand({ Bucket, Key, Body: 'x' })))).toEqual(SignatureDoesNotMatch);
    expect(await head(Key)).toBeUndefined();
  });
});

describe('multipart uploads with SHA-256 checksums', () => {
  const create = async (Key: string) =>
    (await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'SHA256', ContentType: 'application/x-parts' }))).UploadId!;
  const uploadPart = (Key: string, UploadId: string, PartNumber: number, body: Buffer) =>
    client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: body, ChecksumSHA256: sha256(body) }));
  const listParts = (Key: string, UploadId: string, more: { MaxParts?: number; PartNumberMarker?: string } = {}) =>
    client.send(new ListPartsCommand({ Bucket, Key, UploadId, ...more }));
  const completed = (PartNumber: number, body: Buffer): CompletedPart => ({ PartNumber, ETag: `"${md5Hex(body)}"`, ChecksumSHA256: sha256(body) });
  const complete = (Key: string, UploadId: string, Parts: CompletedPart[], IfNoneMatch?: string) =>
    client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts }, IfNoneMatch }));
  const NoSuchUpload = {
    status: 404,
    code: 'NoSuchUpload',
    message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  };

  it('remembers the algorithm, verifies each part, and answers its ETag and checksum', async () => {
    const Key = newKey('parts.bin');
    const part = Buffer.from('part one');

    const created = await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'SHA256' }));
    const uploaded = await uploadPart(Key, created.UploadId!, 1, part);

    expect(created).toMatchObject({ ChecksumAlgorithm: 'SHA256', ChecksumType: 'COMPOSITE' });
    expect(uploaded).toMatchObject({ ETag: `"${md5Hex(part)}"`, ChecksumSHA256: sha256(part) });
  });

  it('refuses a part that does not match its checksum (BadDigest) or carries none or another (InvalidRequest), storing none of them', async () => {
    const Key = newKey('refused-parts.bin');
    const UploadId = await create(Key);
    const unchecked = s3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });

    const wrong = await refusal(
      client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'abc', ChecksumSHA256: sha256(Buffer.from('xyz')) })),
    );
    const none = await refusal(unchecked.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: 'abc' })));
    const crc32 = await refusal(client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 3, Body: 'abc' })));

    expect(wrong).toEqual(BadDigestSHA256);
    expect(none).toEqual({
      status: 400,
      code: 'InvalidRequest',
      message: 'Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: null',
    });
    expect(crc32).toEqual({
      status: 400,
      code: 'InvalidRequest',
      message: 'Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32',
    });
    expect((await listParts(Key, UploadId)).Parts).toBeUndefined();
  });

  it('answers NoSuchUpload for an unknown upload on every upload operation', async () => {
    const Key = newKey('unknown.bin');
    const UploadId = 'f'.repeat(32);
    const body = Buffer.from('x');

    expect(await refusal(uploadPart(Key, UploadId, 1, body))).toEqual(NoSuchUpload);
    expect(await refusal(listParts(Key, UploadId))).toEqual(NoSuchUpload);
    expect(await refusal(client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })))).toEqual(NoSuchUpload);
    expect(await refusal(complete(Key, UploadId, [completed(1, body)]))).toEqual(NoSuchUpload);
    // An upload is for one key.
    const real = await create(Key);
    expect(await refusal(uploadPart(newKey('other-key.bin'), real, 1, body))).toEqual(NoSuchUpload);
  });

  it('lists parts page by page (max-parts, part-number-marker), a replaced part by its latest upload', async () => {
    const Key = newKey('listed.bin');
    const UploadId = await create(Key);
    const bodies = [Buffer.from('one'), Buffer.from('two'), Buffer.from('three')];
    await Promise.all(bodies.map((body, i) => uploadPart(Key, UploadId, i + 1, Buffer.from('replaced later' + i))));
    await Promise.all(bodies.map((body, i) => uploadPart(Key, UploadId, i + 1, body)));
    const expectedPart = (i: number) => ({
      PartNumber: i + 1,
      ETag: `"${md5Hex(bodies[i])}"`,
      Size: bodies[i].length,
      ChecksumSHA256: sha256(bodies[i]),
      LastModified: expect.any(Date),
    });

    const first = await listParts(Key, UploadId, { MaxParts: 2 });
    const second = await listParts(Key, UploadId, { MaxParts: 2, PartNumberMarker: first.NextPartNumberMarker });

    expect(first).toMatchObject({
      Bucket,
      Key,
      UploadId,
      MaxParts: 2,
      IsTruncated: true,
      PartNumberMarker: '0',
      NextPartNumberMarker: '2',
      ChecksumAlgorithm: 'SHA256',
    });
    expect(first.Parts).toEqual([expectedPart(0), expectedPart(1)]);
    expect(second).toMatchObject({ IsTruncated: false, PartNumberMarker: '2', NextPartNumberMarker: '3' });
    expect(second.Parts).toEqual([expectedPart(2)]);
  });

  it('aborts: 204, and the upload and its parts are gone', async () => {
    const Key = newKey('aborted.bin');
    const UploadId = await create(Key);
    await uploadPart(Key, UploadId, 1, Buffer.from('gone'));

    const aborted = await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));

    expect(aborted.$metadata.httpStatusCode).toBe(204);
    expect(await refusal(listParts(Key, UploadId))).toEqual(NoSuchUpload);
    expect(await refusal(uploadPart(Key, UploadId, 2, Buffer.from('late')))).toEqual(NoSuchUpload);
  });

  it('refuses a completion whose parts are out of order, unknown, without or with another checksum, or too small', async () => {
    const Key = newKey('refused.bin');
    const UploadId = await create(Key);
    const small = [Buffer.from('small one'), Buffer.from('small two')];
    await Promise.all(small.map((body, i) => uploadPart(Key, UploadId, i + 1, body)));
    const [one, two] = [completed(1, small[0]), completed(2, small[1])];
    const InvalidPart = {
      status: 400,
      code: 'InvalidPart',
      message:
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    };

    expect(await refusal(complete(Key, UploadId, [two, one]))).toEqual({
      status: 400,
      code: 'InvalidPartOrder',
      message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
    });
    expect(await refusal(complete(Key, UploadId, [{ ...one, ETag: `"${md5Hex(Buffer.from('other'))}"` }]))).toEqual(InvalidPart);
    expect(await refusal(complete(Key, UploadId, [one, { ...two, PartNumber: 3 }]))).toEqual(InvalidPart);
    expect(await refusal(complete(Key, UploadId, [{ ...one, ChecksumSHA256: sha256(Buffer.from('other')) }]))).toEqual(InvalidPart);
    expect(await refusal(complete(Key, UploadId, [{ ...one, ChecksumSHA256: undefined }]))).toEqual({
      status: 400,
      code: 'InvalidRequest',
      message:
        'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.',
    });
    expect(await refusal(complete(Key, UploadId, [one, two]))).toEqual({
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed object size.',
    });
    expect(await head(Key)).toBeUndefined();
    expect((await listParts(Key, UploadId)).Parts).toHaveLength(2);
  });

  it('completes with S3’s ETag and composite checksum; the object has the upload’s content type, and the upload is gone', async () => {
    const Key = newKey('whole.bin');
    const UploadId = await create(Key);
    const bodies = [Buffer.alloc(5 * MiB, 'x'), Buffer.from('and the small last part')];
    await Promise.all(bodies.map((body, i) => uploadPart(Key, UploadId, i + 1, body)));
    const composite = `${createHash('sha256')
      .update(Buffer.concat(bodies.map((body) => createHash('sha256').update(body).digest())))
      .digest('base64')}-2`;
    const etag = `"${createHash('md5')
      .update(Buffer.concat(bodies.map((body) => createHash('md5').update(body).digest())))
      .digest('hex')}-2"`;

    const result = await complete(
      Key,
      UploadId,
      bodies.map((body, i) => completed(i + 1, body)),
    );

    expect(result).toMatchObject({ Bucket, Key, ETag: etag, ChecksumSHA256: composite, ChecksumType: 'COMPOSITE' });
    expect(await head(Key)).toEqual({
      size: 5 * MiB + bodies[1].length,
      contentType: 'application/x-parts',
      sha256: composite,
      checksumType: 'COMPOSITE',
      etag,
    });
    expect((await read(Key)).bytes.equals(Buffer.concat(bodies))).toBe(true);
    expect(await refusal(listParts(Key, UploadId))).toEqual(NoSuchUpload);
  });

  it('takes parts through presigned URLs that sign their size and checksum, and holds them to both', async () => {
    const Key = newKey('presigned-parts.bin');
    const UploadId = await create(Key);
    const part = Buffer.from('a presigned part');
    const url = await getSignedUrl(
      client,
      new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, ContentLength: part.length, ChecksumSHA256: sha256(part) }),
      {
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
        signableHeaders: new Set(['content-length', 'x-amz-checksum-sha256']),
      },
    );
    const other = Buffer.from('another one part');

    const wrongBytes = await fetch(url, { method: 'PUT', headers: { 'x-amz-checksum-sha256': sha256(part) }, body: other });
    const otherChecksum = await fetch(url, { method: 'PUT', headers: { 'x-amz-checksum-sha256': sha256(other) }, body: other });
    const right = await fetch(url, { method: 'PUT', headers: { 'x-amz-checksum-sha256': sha256(part) }, body: part });

    expect(await errorOf(wrongBytes)).toEqual(BadDigestSHA256);
    expect(await errorOf(otherChecksum)).toEqual(SignatureDoesNotMatch);
    expect(right.status).toBe(200);
    expect([right.headers.get('etag'), right.headers.get('x-amz-checksum-sha256')]).toEqual([`"${md5Hex(part)}"`, sha256(part)]);
    expect((await listParts(Key, UploadId)).Parts).toEqual([
      expect.objectContaining({ PartNumber: 1, ETag: `"${md5Hex(part)}"`, ChecksumSHA256: sha256(part) }),
    ]);
  });

  it('refuses to complete over an existing key with If-None-Match: *, keeping the object and the upload', async () => {
    const Key = newKey('exists.bin');
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'already here' }));
    const UploadId = await create(Key);
    const part = Buffer.from('would replace it');
    await uploadPart(Key, UploadId, 1, part);

    const refused = await refusal(complete(Key, UploadId, [completed(1, part)], '*'));

    expect(refused).toEqual({ status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold' });
    expect((await read(Key)).bytes.toString()).toBe('already here');
    expect((await listParts(Key, UploadId)).Parts).toHaveLength(1);
  });
});

describe('a multipart upload completed without copying its parts', () => {
  const PART = 5 * MiB;
  // Distinct bytes in every part, and a short last part: a segment out of place or off by one shows.
  const bodies = [randomBytes(PART), randomBytes(PART), randomBytes(MiB + 123)];
  const whole = Buffer.concat(bodies);
  const size = whole.length;
  const compositeSha256 = `${createHash('sha256')
    .update(Buffer.concat(bodies.map((body) => createHash('sha256').update(body).digest())))
    .digest('base64')}-3`;
  const multipartEtag = (parts: Buffer[]) =>
    `"${createHash('md5')
      .update(Buffer.concat(parts.map((body) => createHash('md5').update(body).digest())))
      .digest('hex')}-${parts.length}"`;

  let directory: string;
  let own: EmbeddedService;
  let ownClient: S3Client;
  let buckets = 0;

  beforeAll(async () => {
    directory = await tempDir('segments');
    own = await startEmbeddedS3({ directory, credentials: CREDENTIALS });
    ownClient = s3Client({ endpoint: own.endpoint });
  });

  afterAll(async () => {
    ownClient?.destroy();
    await own?.close();
  });

  /** A bucket of its own, so that its folder holds only what the test stored. */
  async function freshBucket(): Promise<{ bucket: string; folder: string }> {
    const bucket = `segments-${++buckets}`;
    await ownClient.send(new CreateBucketCommand({ Bucket: bucket }));
    return { bucket, folder: path.join(directory, bucket) };
  }

  async function uploadInParts(bucket: string, Key: string, parts: Buffer[]) {
    const { UploadId } = await ownClient.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key, ChecksumAlgorithm: 'SHA256', ContentType: 'application/x-parts' }),
    );
    const uploaded = await Promise.all(
      parts.map((Body, i) => ownClient.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: i + 1, Body, ChecksumSHA256: sha256(Body) }))),
    );
    return ownClient.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: uploaded.map(({ ETag }, i) => ({ PartNumber: i + 1, ETag, ChecksumSHA256: sha256(parts[i]) })) },
      }),
    );
  }

  async function readFrom(bucket: string, Key: string, Range?: string) {
    const object = await ownClient.send(new GetObjectCommand({ Bucket: bucket, Key, Range }));
    return { bytes: Buffer.from(await object.Body!.transformToByteArray()), contentRange: object.ContentRange, length: object.ContentLength };
  }

  it('reads back byte for byte, whole and through ranges across the parts’ boundaries', async () => {
    const { bucket } = await freshBucket();
    await uploadInParts(bucket, 'whole.bin', bodies);
    const last = bodies[2].length;
    const ranges: [string, number, number][] = [
      [`bytes=${PART - 10}-${PART + 9}`, PART - 10, PART + 9],
      [`bytes=${PART - 1}-${2 * PART}`, PART - 1, 2 * PART],
      [`bytes=${PART}-${2 * PART - 1}`, PART, 2 * PART - 1],
      ['bytes=0-0', 0, 0],
      [`bytes=-${last + 100}`, size - last - 100, size - 1],
      [`bytes=-${size + 5}`, 0, size - 1],
      [`bytes=${2 * PART - 3}-`, 2 * PART - 3, size - 1],
      [`bytes=${PART}-`, PART, size - 1],
      [`bytes=${size - 1}-${size + 100}`, size - 1, size - 1],
    ];

    const read = await readFrom(bucket, 'whole.bin');
    expect(read.length).toBe(size);
    expect(read.bytes.equals(whole)).toBe(true);
    for (const [Range, start, end] of ranges) {
      const { bytes, contentRange, length } = await readFrom(bucket, 'whole.bin', Range);
      expect({ Range, contentRange, length }).toEqual({ Range, contentRange: `bytes ${start}-${end}/${size}`, length: end - start + 1 });
      expect(bytes.equals(whole.subarray(start, end + 1))).toBe(true);
    }
    const unsatisfiable = { status: 416, code: 'InvalidRange', message: 'The requested range is not satisfiable' };
    expect(await refusal(readFrom(bucket, 'whole.bin', `bytes=${size}-`))).toEqual(unsatisfiable);
    expect(await refusal(readFrom(bucket, 'whole.bin', 'bytes=-0'))).toEqual(unsatisfiable);
  });

  it('answers its size, ETag and composite checksum on HeadObject and its size in listings, which show no segment', async () => {
    const { bucket } = await freshBucket();
    await uploadInParts(bucket, 'dir/whole.bin', bodies);
    await ownClient.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.txt', Body: 'plain' }));

    const headed = await ownClient.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dir/whole.bin', ChecksumMode: 'ENABLED' }));
    const listed = await ownClient.send(new ListObjectsV2Command({ Bucket: bucket }));
    const delimited = await ownClient.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));

    expect(headed).toMatchObject({
      ContentLength: size,
      ETag: multipartEtag(bodies),
      ChecksumSHA256: compositeSha256,
      ChecksumType: 'COMPOSITE',
      ContentType: 'application/x-parts',
    });
    expect(listed.Contents?.map(({ Key, Size, ETag }) => ({ Key, Size, ETag }))).toEqual([
      { Key: 'dir/whole.bin', Size: size, ETag: multipartEtag(bodies) },
      { Key: 'plain.txt', Size: 5, ETag: `"${md5Hex(Buffer.from('plain'))}"` },
    ]);
    expect([delimited.CommonPrefixes, delimited.Contents?.map((object) => object.Key)]).toEqual([[{ Prefix: 'dir/' }], ['plain.txt']]);
  });

  it('deletes every segment and the record with the object, and nothing else', async () => {
    const { bucket, folder } = await freshBucket();
    await ownClient.send(new PutObjectCommand({ Bucket: bucket, Key: 'neighbour.txt', Body: 'stays' }));
    await uploadInParts(bucket, 'a/b/whole.bin', bodies);
    expect(await filesUnder(folder)).toEqual([
      '._S3rver_segments/<upload>/1.part.<id>',
      '._S3rver_segments/<upload>/2.part.<id>',
      '._S3rver_segments/<upload>/3.part.<id>',
      '._S3rver_segments/<upload>/segments.json',
      'a/b/whole.bin._S3rver_metadata.json',
      'a/b/whole.bin._S3rver_object',
      'a/b/whole.bin._S3rver_object.md5',
      ...plainObjectFiles('neighbour.txt'),
    ]);

    await ownClient.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a/b/whole.bin' }));

    expect(await filesUnder(folder)).toEqual(plainObjectFiles('neighbour.txt'));
    expect(await readdir(folder)).not.toContain('a');
    expect(await headOf(bucket, 'a/b/whole.bin')).toBeUndefined();
    expect((await readFrom(bucket, 'neighbour.txt')).bytes.toString()).toBe('stays');
  });

  it('leaves none of the old segments when overwritten by a PutObject or by another multipart upload', async () => {
    const { bucket, folder } = await freshBucket();
    const Key = 'overwritten.bin';
    await uploadInParts(bucket, Key, bodies);

    await ownClient.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'plain now' }));
    expect(await filesUnder(folder)).toEqual(plainObjectFiles(Key));
    expect((await readFrom(bucket, Key)).bytes.toString()).toBe('plain now');

    await uploadInParts(bucket, Key, bodies);
    const second = [randomBytes(PART), Buffer.from('the new end')];
    const completed = await uploadInParts(bucket, Key, second);

    expect(await filesUnder(folder)).toEqual([
      '._S3rver_segments/<upload>/1.part.<id>',
      '._S3rver_segments/<upload>/2.part.<id>',
      '._S3rver_segments/<upload>/segments.json',
      ...plainObjectFiles(Key),
    ]);
    expect(completed.ETag).toBe(multipartEtag(second));
    expect((await readFrom(bucket, Key)).bytes.equals(Buffer.concat(second))).toBe(true);
    expect(await headOf(bucket, Key)).toMatchObject({ size: PART + 'the new end'.length, etag: multipartEtag(second) });
  });

  it('copies a segmented object, with its ETag and checksum; the copy and the source outlive each other’s deletion', async () => {
    const { bucket, folder } = await freshBucket();
    await uploadInParts(bucket, 'source.bin', bodies);

    await ownClient.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy.bin', CopySource: `${bucket}/source.bin` }));
    await ownClient.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'replaced.bin', CopySource: `${bucket}/source.bin`, MetadataDirective: 'REPLACE', ContentType: 'text/csv' }),
    );

    const expected = { size, etag: multipartEtag(bodies), sha256: compositeSha256, checksumType: 'COMPOSITE' };
    expect(await headOf(bucket, 'copy.bin')).toEqual({ ...expected, contentType: 'application/x-parts' });
    expect(await headOf(bucket, 'replaced.bin')).toEqual({ ...expected, contentType: 'text/csv' });
    // Onto itself, replacing its metadata: the one object, in one segments folder.
    await ownClient.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'source.bin', CopySource: `${bucket}/source.bin`, MetadataDirective: 'REPLACE', ContentType: 'text/plain' }),
    );
    expect(await headOf(bucket, 'source.bin')).toEqual({ ...expected, contentType: 'text/plain' });
    expect((await filesUnder(folder)).filter((file) => file.endsWith('segments.json'))).toHaveLength(3);
    await ownClient.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'source.bin' }));
    expect((await readFrom(bucket, 'copy.bin')).bytes.equals(whole)).toBe(true);
    expect((await readFrom(bucket, 'replaced.bin', `bytes=${PART - 5}-${PART + 4}`)).bytes.equals(whole.subarray(PART - 5, PART + 5))).toBe(true);
    await ownClient.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'copy.bin' }));
    await ownClient.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'replaced.bin' }));
    expect(await filesUnder(folder)).toEqual([]);
  });

  it('keeps the conditions: If-None-Match: * refuses an existing key, If-Match takes the multipart ETag', async () => {
    const { bucket } = await freshBucket();
    const { ETag } = await uploadInParts(bucket, 'conditional.bin', bodies);

    const refused = await refusal(ownClient.send(new PutObjectCommand({ Bucket: bucket, Key: 'conditional.bin', Body: 'x', IfNoneMatch: '*' })));
    await ownClient.send(new PutObjectCommand({ Bucket: bucket, Key: 'conditional.bin', Body: 'replaced', IfMatch: ETag }));

    expect(refused).toMatchObject({ status: 412, code: 'PreconditionFailed' });
    expect((await readFrom(bucket, 'conditional.bin')).bytes.toString()).toBe('replaced');
  });

  it('finishes a read begun before the object was deleted, then removes its segments; a 304 holds none', async () => {
    const { bucket, folder } = await freshBucket();
    const { ETag } = await uploadInParts(bucket, 'read.bin', bodies);

    const notModified = await refusal(ownClient.send(new GetObjectCommand({ Bucket: bucket, Key: 'read.bin', IfNoneMatch: ETag })));
    const reading = await ownClient.send(new GetObjectCommand({ Bucket: bucket, Key: 'read.bin' }));
    const chunks: Buffer[] = [];
    const body = reading.Body as Readable;
    const first = await new Promise<Buffer>((resolve) => body.once('data', resolve));
    body.pause();
    await ownClient.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'read.bin' }));
    expect(await headOf(bucket, 'read.bin')).toBeUndefined();
    chunks.push(first);
    for await (const chunk of body) chunks.push(chunk as Buffer);

    expect(notModified.status).toBe(304);
    expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    await expect.poll(() => filesUnder(folder)).toEqual([]);
  });

  /** HeadObject's answer in this bucket; undefined when there is no object. */
  async function headOf(bucket: string, Key: string) {
    try {
      const answer = await ownClient.send(new HeadObjectCommand({ Bucket: bucket, Key, ChecksumMode: 'ENABLED' }));
      return {
        size: answer.ContentLength,
        contentType: answer.ContentType,
        sha256: answer.ChecksumSHA256,
        checksumType: answer.ChecksumType,
        etag: answer.ETag,
      };
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
      throw error;
    }
  }
});

describe('the files behind the objects', () => {
  it('keep the checksum in the object’s metadata, and nothing of refused writes, aborted or completed uploads', async () => {
    const directory = await tempDir('embedded-s3');
    const own = await startEmbeddedS3({ directory, credentials: CREDENTIALS });
    const ownClient = s3Client({ endpoint: own.endpoint });
    try {
      const body = Buffer.from('kept');
      await ownClient.send(new CreateBucketCommand({ Bucket }));
      await ownClient.send(new PutObjectCommand({ Bucket, Key: 'kept.txt', Body: body, ChecksumSHA256: sha256(body), ContentType: 'text/plain' }));
      await refusal(ownClient.send(new PutObjectCommand({ Bucket, Key: 'refused.txt', Body: 'other', ChecksumSHA256: sha256(body) })));
      await refusal(ownClient.send(new PutObjectCommand({ Bucket, Key: 'kept.txt', Body: 'again', IfNoneMatch: '*' })));
      const [aborted, completed] = await Promise.all(
        ['aborted.bin', 'whole.bin'].map(
          async (Key) => (await ownClient.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'SHA256' }))).UploadId!,
        ),
      );
      const part = await ownClient.send(
        new UploadPartCommand({ Bucket, Key: 'whole.bin', UploadId: completed, PartNumber: 1, Body: body, ChecksumSHA256: sha256(body) }),
      );
      await ownClient.send(new UploadPartCommand({ Bucket, Key: 'aborted.bin', UploadId: aborted, PartNumber: 1, Body: body, ChecksumSHA256: sha256(body) }));
      await ownClient.send(new AbortMultipartUploadCommand({ Bucket, Key: 'aborted.bin', UploadId: aborted }));
      await ownClient.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: 'whole.bin',
          UploadId: completed,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumSHA256: sha256(body) }] },
        }),
      );

      const bucketFolder = path.join(directory, Bucket);
      const objectFiles = (key: string) => [`${key}._S3rver_metadata.json`, `${key}._S3rver_object`, `${key}._S3rver_object.md5`];
      expect((await readdir(bucketFolder)).sort()).toEqual([
        '._S3rver_segments',
        '._S3rver_tmp',
        '._S3rver_uploads',
        ...objectFiles('kept.txt'),
        ...objectFiles('whole.bin'),
      ]);
      expect(await readdir(path.join(bucketFolder, '._S3rver_tmp'))).toEqual([]);
      expect(await readdir(path.join(bucketFolder, '._S3rver_uploads'))).toEqual([]);
      // The completed upload's folder, now the object's segments: its part and the record of it, nothing else.
      expect(await filesUnder(path.join(bucketFolder, '._S3rver_segments'))).toEqual(['<upload>/1.part.<id>', '<upload>/segments.json']);
      expect(JSON.parse(await readFile(path.join(bucketFolder, 'kept.txt._S3rver_metadata.json'), 'utf8'))).toEqual({
        'content-type': 'text/plain',
        'x-amz-checksum-sha256': sha256(body),
        'x-amz-checksum-type': 'FULL_OBJECT',
      });
    } finally {
      ownClient.destroy();
      await own.close();
    }
  });

  it('drop what a crash left in the temporary folder when the server starts again, and keep the objects', async () => {
    const directory = await tempDir('embedded-s3-restart');
    const first = await startEmbeddedS3({ directory, credentials: CREDENTIALS });
    const firstClient = s3Client({ endpoint: first.endpoint });
    const body = Buffer.from('survives a restart');
    await firstClient.send(new CreateBucketCommand({ Bucket }));
    await firstClient.send(new PutObjectCommand({ Bucket, Key: 'kept.txt', Body: body, ChecksumSHA256: sha256(body) }));
    await first.close();
    const tempFolder = path.join(directory, Bucket, '._S3rver_tmp');
    await writeFile(path.join(tempFolder, 'object.cut-short'), 'half an object');

    const second = await startEmbeddedS3({ directory, credentials: CREDENTIALS });
    try {
      const secondClient = s3Client({ endpoint: second.endpoint });
      expect(await readdir(tempFolder).catch(() => [])).toEqual([]);
      const object = await secondClient.send(new GetObjectCommand({ Bucket, Key: 'kept.txt', ChecksumMode: 'ENABLED' }));
      expect([Buffer.from(await object.Body!.transformToByteArray()), object.ChecksumSHA256]).toEqual([body, sha256(body)]);
    } finally {
      await second.close();
    }
  });
  it('after a crash, put back the upload of a completion cut short before its object appeared, tidy a linked folder, and drop unlinked ones', async () => {
    const directory = await tempDir('embedded-s3-crash');
    const first = await startEmbeddedS3({ directory, credentials: CREDENTIALS });
    const firstClient = s3Client({ endpoint: first.endpoint });
    const parts = [randomBytes(5 * MiB), Buffer.from('the last part')];
    await firstClient.send(new CreateBucketCommand({ Bucket }));
    const start = async (Key: string) => {
      const { UploadId } = await firstClient.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'SHA256' }));
      const uploaded = await Promise.all(
        parts.map((Body, i) => firstClient.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body, ChecksumSHA256: sha256(Body) }))),
      );
      const complete = new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: uploaded.map(({ ETag }, i) => ({ PartNumber: i + 1, ETag, ChecksumSHA256: sha256(parts[i]) })) },
      });
      return { UploadId: UploadId!, complete };
    };
    const cutShort = await start('cut-short.bin');
    const linked = await start('linked.bin');
    await firstClient.send(linked.complete);
    firstClient.destroy();
    await first.close();

    // What crashes leave: an upload's folder moved to be its object's segments and its record written, the object not linked yet;
    // a linked folder not tidied yet (the upload's key still in it); the folder of an object replaced, not removed yet.
    const bucketFolder = path.join(directory, Bucket);
    const segments = path.join(bucketFolder, '._S3rver_segments');
    await rename(path.join(bucketFolder, '._S3rver_uploads', cutShort.UploadId), path.join(segments, cutShort.UploadId));
    await writeFile(path.join(segments, cutShort.UploadId, 'segments.json'), JSON.stringify({ key: 'cut-short.bin', segments: [] }));
    await writeFile(path.join(segments, linked.UploadId, 'key'), 'linked.bin');
    const replaced = path.join(segments, 'copy.0123456789abcdef');
    await mkdir(replaced);
    await writeFile(path.join(replaced, '1.part.0123456789abcdef'), 'old bytes');
    await writeFile(path.join(replaced, 'segments.json'), JSON.stringify({ key: 'linked.bin', segments: [{ file: '1.part.0123456789abcdef', size: 9 }] }));

    const second = await startEmbeddedS3({ directory, credentials: CREDENTIALS });
    try {
      const secondClient = s3Client({ endpoint: second.endpoint });
      expect(await filesUnder(segments)).toEqual(['<upload>/1.part.<id>', '<upload>/2.part.<id>', '<upload>/segments.json']);
      expect((await secondClient.send(new ListPartsCommand({ Bucket, Key: 'cut-short.bin', UploadId: cutShort.UploadId }))).Parts).toHaveLength(2);
      await secondClient.send(cutShort.complete);
      for (const Key of ['cut-short.bin', 'linked.bin']) {
        const object = await secondClient.send(new GetObjectCommand({ Bucket, Key }));
        expect(Buffer.from(await object.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
      }
    } finally {
      await second.close();
    }
  });
});

/** A PUT whose body the test writes piece by piece; `answer` is the status and error document. */
function startPut(url: string, headers: Record<string, string>) {
  const request = http.request(url, { method: 'PUT', headers });
  const answer = new Promise<{ status: number; code?: string; message?: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      let xml = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (xml += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, code: /<Code>(.*?)<\/Code>/.exec(xml)?.[1], message: /<Message>(.*?)<\/Message>/.exec(xml)?.[1] }),
      );
    });
  });
  return { write: (bytes: Buffer) => request.write(bytes), end: (bytes: Buffer) => request.end(bytes), answer };
}
