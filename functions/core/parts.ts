/**
 * How a file splits into multipart parts: pure arithmetic, shared by the
 * service and its clients (the /files page and the `files` CLI run it too,
 * to hash each part before asking for a ticket).
 */
import { MULTIPART_THRESHOLD_BYTES, defaultPartSize } from './limits';

/** The number of parts of `partSize` bytes a file of `size` bytes needs. */
export const partCount = (size: number, partSize: number): number => Math.ceil(size / partSize);

/** The size of part `partNumber` (1-based). */
export const partLength = (size: number, partSize: number, partNumber: number): number => Math.min(partSize, size - (partNumber - 1) * partSize);

/** Whether createUploadUrl will hand out parts for a file of `size` bytes (else one PUT). */
export const isMultipart = (size: number): boolean => size > MULTIPART_THRESHOLD_BYTES;

/** The part size createUploadUrl uses when the caller names none. */
export { defaultPartSize };
