import S3Error from 's3rver/lib/models/error.js';
import type { ChecksumAlgorithm } from './checksums';

/*
 * S3's refusals, as s3rver's own error type: thrown anywhere in a request,
 * s3rver answers it as S3's XML error document with S3's status code.
 */

type Detail = Record<string, string | number | undefined>;

/** Codes s3rver's status table lacks get their S3 status here. */
const EXTRA_STATUSES: Record<string, number> = {
  XAmzContentSHA256Mismatch: 400,
};

export function s3Error(code: string, message: string, detail: Detail = {}): S3Error {
  const error = new S3Error(code, message, detail);
  const status = EXTRA_STATUSES[code];
  if (status) {
    error.status = status;
    error.expose = true;
  }
  return error;
}

export const isS3Error = (error: unknown, code?: string): error is S3Error => error instanceof S3Error && (code === undefined || error.code === code);

export const badDigest = (algorithm: ChecksumAlgorithm) => s3Error('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);

export const invalidRequest = (message: string) => s3Error('InvalidRequest', message);

export const noSuchUpload = (uploadId: string | undefined) =>
  s3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
    UploadId: uploadId,
  });

export const preconditionFailed = (condition: string) =>
  s3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });

export const accessDenied = (message = 'Access Denied', detail: Detail = {}) => s3Error('AccessDenied', message, detail);
