import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  NoSuchUpload,
  NotFound,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { awsClientConfig, type Env, type FunctionConfig } from './config';
import { URL_EXPIRY_SECONDS } from './limits';

/**
 * Bytes that travel straight between clients and S3: presigned URLs, the
 * multipart calls around them, and the checks completeUpload makes. The
 * presigned URLs carry the Lambda's own rights, so the CDK stack gives it
 * object rights under `projects/` only; and they sign the size and checksum
 * headers, so S3 refuses any other bytes.
 */

/** A URL and the headers a request to it must carry exactly (they are signed). */
export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
}

export interface StoredPart {
  partNumber: number;
  etag: string;
  size: number;
  sha256Base64?: string;
}

export interface ObjectFacts {
  size: number;
  /** As S3 reports it with checksum mode on: base64, with `-N` for multipart objects. */
  sha256Base64?: string;
}

export interface TransferStore {
  presignPut(key: string, body: { size: number; sha256Base64: string; contentType: string }): Promise<SignedRequest>;
  presignPart(key: string, uploadId: string, part: { partNumber: number; size: number; sha256Base64: string }): Promise<SignedRequest>;
  presignGet(key: string, response: { contentDisposition: string; contentType: string }): Promise<string>;
  createMultipart(key: string, contentType: string): Promise<string>;
  /** Every stored part, in order; undefined when storage knows no such upload. */
  listParts(key: string, uploadId: string): Promise<StoredPart[] | undefined>;
  /** 'no-such-upload' when storage knows no such upload (e.g. an earlier call completed it). */
  completeMultipart(key: string, uploadId: string, parts: StoredPart[]): Promise<'completed' | 'no-such-upload'>;
  /** Frees the upload and its parts; an unknown upload is already free. */
  abortMultipart(key: string, uploadId: string): Promise<void>;
  head(key: string): Promise<ObjectFacts | undefined>;
  /** The first `bytes` bytes of the object (fewer if it is shorter): a ranged GET, never the whole object. */
  readStart(key: string, bytes: number): Promise<Uint8Array>;
}

const expiresIn = URL_EXPIRY_SECONDS;
// Signed as headers, not hoisted into the query string (where S3 ignores a checksum): S3 then checks the body against them.
const bound = (headers: string[]) => ({ unhoistableHeaders: new Set(['x-amz-checksum-sha256']), signableHeaders: new Set(headers) });
const boundPut = bound(['content-length', 'content-type', 'x-amz-checksum-sha256']);
// A part has no content type of its own (the SDK would sign application/octet-stream, which clients do not send).
const boundPart = bound(['content-length', 'x-amz-checksum-sha256']);

const isMissing = (error: unknown) =>
  error instanceof NotFound || error instanceof NoSuchUpload || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);

/**
 * S3 answers a read (GET or HEAD) of a missing key 403, not 404, to a caller
 * without s3:ListBucket for it — which the functions do not get (the upload
 * functions none, the reconciler only for prefix projects/). Their roles may
 * read the keys they read, so a 403 there means "no object".
 */
export const isMissingObject = (error: unknown) => isMissing(error) || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 403);

export function s3TransferStore(s3: S3Client, bucket: string): TransferStore {
  return {
    async presignPut(key, { size, sha256Base64, contentType }) {
      const command = new PutObjectCommand({ Bucket: bucket, Key: key, ContentLength: size, ContentType: contentType, ChecksumSHA256: sha256Base64 });
      const url = await getSignedUrl(s3, command, { expiresIn, ...boundPut });
      return { url, headers: { 'content-length': String(size), 'content-type': contentType, 'x-amz-checksum-sha256': sha256Base64 } };
    },
    async presignPart(key, uploadId, { partNumber, size, sha256Base64 }) {
      const command = new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        ContentLength: size,
        ChecksumSHA256: sha256Base64,
      });
      const url = await getSignedUrl(s3, command, { expiresIn, ...boundPart });
      return { url, headers: { 'content-length': String(size), 'x-amz-checksum-sha256': sha256Base64 } };
    },
    presignGet(key, { contentDisposition, contentType }) {
      const command = new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: contentDisposition, ResponseContentType: contentType });
      return getSignedUrl(s3, command, { expiresIn });
    },
    async createMultipart(key, contentType) {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType, ChecksumAlgorithm: 'SHA256' }));
      if (!UploadId) throw new Error('CreateMultipartUpload answered no UploadId');
      return UploadId;
    },
    async listParts(key, uploadId) {
      const parts: StoredPart[] = [];
      let marker: string | undefined;
      try {
        do {
          const page = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }));
          for (const part of page.Parts ?? []) {
            parts.push({ partNumber: part.PartNumber!, etag: part.ETag!, size: part.Size!, sha256Base64: part.ChecksumSHA256 });
          }
          marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
        } while (marker);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      return parts;
    },
    async completeMultipart(key, uploadId, parts) {
      try {
        await s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag, ChecksumSHA256: p.sha256Base64 })) },
          }),
        );
        return 'completed';
      } catch (error) {
        if (isMissing(error)) return 'no-such-upload';
        throw error;
      }
    },
    async abortMultipart(key, uploadId) {
      try {
        await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },
    async head(key) {
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
        return { size: head.ContentLength ?? 0, sha256Base64: head.ChecksumSHA256 };
      } catch (error) {
        if (isMissingObject(error)) return undefined;
        throw error;
      }
    },
    async readStart(key, bytes) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${bytes - 1}` }));
      return object.Body ? object.Body.transformToByteArray() : new Uint8Array();
    },
  };
}

export const createS3Client = (config: FunctionConfig, env: Env) => new S3Client({ forcePathStyle: config.s3ForcePathStyle, ...awsClientConfig(env, 'S3') });

/**
 * Presigning alone, for a function with no table access. In this module, not
 * storage.ts, so that its bundle carries neither the DynamoDB client (~70 KB)
 * nor the document client.
 */
export const createTransferStore = (config: FunctionConfig, env: Env) => s3TransferStore(createS3Client(config, env), config.filesBucket);
