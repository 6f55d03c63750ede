import type { S3rverContext, S3rverMiddleware } from 's3rver';
import { isS3Error, s3Error } from './errors';
import type { MultipartStore } from './multipart-store';
import { requestOf } from './request';

/** S3's cap on parts per ListParts page. */
const MAX_PARTS = 1000;

/**
 * Runs just ahead of s3rver's router. It hands the router's controllers a
 * view of the store for this request (the store reads the headers the
 * client sent, and answers checksum headers, through it), adds what the
 * store learnt to CompleteMultipartUpload's result, closes an object body
 * the store opened that the answer does not carry, and serves the two
 * upload operations s3rver's router lacks: ListParts and
 * AbortMultipartUpload.
 *
 * The router answers those two MethodNotAllowed from its final route
 * handler, which runs only after its authentication and bucket check
 * passed: only that refusal, with the route's own mark
 * (ctx.state.methodIsNotAllowed), is taken as the operation to serve.
 */
export function storeOperations(store: MultipartStore): S3rverMiddleware {
  return async (ctx, next) => {
    const request = requestOf(ctx);
    const requestStore = store.forRequest(request);
    ctx.store = requestStore;
    try {
      await next();
    } catch (error) {
      const operation = isS3Error(error, 'MethodNotAllowed') ? unroutedUploadOperation(ctx) : undefined;
      if (!operation) throw error;
      await operation(ctx, requestStore);
      return;
    } finally {
      // s3rver leaves a body it does not send open (a 304 to If-None-Match or If-Modified-Since): its file, or the hold on a segments folder.
      if (request.content && ctx.body !== request.content) request.content.destroy();
    }
    const result = (ctx.body as { CompleteMultipartUploadResult?: Record<string, unknown> } | undefined)?.CompleteMultipartUploadResult;
    if (request.completion && result) Object.assign(result, request.completion);
  };
}

type Operation = (ctx: S3rverContext, store: MultipartStore) => Promise<void>;

function unroutedUploadOperation(ctx: S3rverContext): Operation | undefined {
  if (ctx.state.methodIsNotAllowed !== true || ctx.params?.queryMethod !== 'uploadId' || !ctx.params.bucket || !ctx.params.key) return undefined;
  if (ctx.method === 'GET') return listParts;
  if (ctx.method === 'DELETE') return abortMultipartUpload;
  return undefined;
}

async function listParts(ctx: S3rverContext, store: MultipartStore): Promise<void> {
  const { bucket, key } = ctx.params as { bucket: string; key: string };
  const uploadId = queryValue(ctx, 'uploadId');
  const maxParts = Math.min(MAX_PARTS, integerQuery(ctx, 'max-parts', MAX_PARTS));
  const partNumberMarker = integerQuery(ctx, 'part-number-marker', 0);
  const { settings, parts, isTruncated } = await store.listParts(bucket, key, uploadId, { maxParts, partNumberMarker });
  ctx.body = {
    ListPartsResult: {
      '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      PartNumberMarker: partNumberMarker,
      NextPartNumberMarker: parts.at(-1)?.partNumber ?? partNumberMarker,
      MaxParts: maxParts,
      IsTruncated: isTruncated,
      Part: parts.map((part) => ({
        PartNumber: part.partNumber,
        LastModified: part.lastModified,
        ETag: `"${part.md5}"`,
        Size: part.size,
        ...(part.checksum && { [`Checksum${part.checksum.algorithm}`]: part.checksum.value }),
      })),
      StorageClass: 'STANDARD',
      ...(settings.algorithm && { ChecksumAlgorithm: settings.algorithm, ChecksumType: settings.type ?? 'COMPOSITE' }),
    },
  };
}

async function abortMultipartUpload(ctx: S3rverContext, store: MultipartStore): Promise<void> {
  const { bucket, key } = ctx.params as { bucket: string; key: string };
  await store.abortUpload(bucket, key, queryValue(ctx, 'uploadId'));
  ctx.status = 204;
}

function queryValue(ctx: S3rverContext, name: string): string | undefined {
  const value = ctx.query[name];
  return Array.isArray(value) ? value[0] : value;
}

function integerQuery(ctx: S3rverContext, name: string, fallback: number): number {
  const value = queryValue(ctx, name);
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 2147483647) {
    throw s3Error('InvalidArgument', `Argument ${name} must be an integer between 0 and 2147483647`, { ArgumentName: name, ArgumentValue: value });
  }
  return Number(value);
}
