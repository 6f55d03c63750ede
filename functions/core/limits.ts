/**
 * The limits of the upload API, named once. The schema's field docs state the
 * same numbers to clients; validation.ts enforces them.
 */
import { FUNCTION_TIMEOUT_SECONDS } from './config';

/**
 * Longest `contentBase64` accepted inline. AppSync refuses GraphQL requests
 * over about 1 MB; base64 inflates bytes by 4/3, and the request also carries
 * the query text and the other variables, so 900,000 characters leaves
 * ~100 KB of headroom. Checked on the string, before anything is decoded.
 */
export const MAX_INLINE_BASE64_CHARS = 900_000;

/** The file size that MAX_INLINE_BASE64_CHARS encodes: 675,000 bytes. */
export const MAX_INLINE_BYTES = (MAX_INLINE_BASE64_CHARS / 4) * 3;

/**
 * Longest `file_content` the legacy REST endpoint accepts. Its bytes travel
 * in one synchronous Lambda invocation, whose request payload AWS caps at
 * 6 MB (6,291,456 bytes). API Gateway (HTTP API, payload 2.0) passes a JSON
 * body as text inside an event that also carries headers and request context;
 * 6,000,000 characters of base64 (4,500,000 bytes of file) leaves ~290 KB
 * for that envelope.
 */
export const MAX_REST_BASE64_CHARS = 6_000_000;

/** Longest file name, in bytes of UTF-8 (what most file systems allow). */
export const MAX_FILE_NAME_BYTES = 255;

/** Project IDs also appear in S3 keys and group names (`project-{projectID}`): a safe, short alphabet. */
export const PROJECT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The caller's own category (`pdf`, `image/png`, `spec`): short, printable, no spaces. */
export const FILE_TYPE_PATTERN = /^[A-Za-z0-9._/-]{1,64}$/;

/** Idempotency keys: a UUID, a ULID or any short URL-safe token fits. */
export const CLIENT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Longest declared MIME type, parameters included (RFC 6838 caps type and subtype at 127 each). */
export const MAX_CONTENT_TYPE_CHARS = 255;

const MiB = 1024 * 1024;

/**
 * Direct uploads (createUploadUrl): up to this size one presigned PUT, above
 * it S3 multipart. 32 MiB keeps a single PUT short enough to retry whole,
 * and gives anything larger parallel, resumable parts.
 */
export const MULTIPART_THRESHOLD_BYTES = 32 * MiB;

/** S3's own limits on multipart uploads and objects. */
export const MIN_PART_BYTES = 5 * MiB;
export const MAX_PART_BYTES = 5 * 1024 * MiB;
export const MAX_PARTS = 10_000;
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * MiB;

/** The part size when the caller names none: 16 MiB, grown in whole MiB when 10,000 such parts would not hold the file. */
export const DEFAULT_PART_BYTES = 16 * MiB;
export const defaultPartSize = (size: number): number => Math.max(DEFAULT_PART_BYTES, Math.ceil(size / MAX_PARTS / MiB) * MiB);

/** How long presigned upload and download URLs work: 15 minutes. */
export const URL_EXPIRY_SECONDS = 15 * 60;

/** How long an upload may stay unfinished before its row expires (DynamoDB TTL) and its bytes are discarded. */
export const PENDING_UPLOAD_SECONDS = 24 * 60 * 60;

/** Part URLs one ticket carries at most, so an answer stays small; the rest come with the next createUploadUrl. */
export const MAX_PART_URLS_PER_TICKET = 1_000;

/** Bytes read from the start of a stored object to detect its content type (file-type needs at most 4,100). */
export const CONTENT_SNIFF_BYTES = 4_100;

/**
 * An object no row names is an orphan once older than an upload ticket's
 * lifetime: uploadFile writes the row milliseconds after the object, and a
 * direct upload's row exists before its URL is handed out.
 */
export const ORPHAN_MIN_AGE_SECONDS = URL_EXPIRY_SECONDS;

/**
 * The least age at which `npm run reconcile --apply` removes an orphan
 * without --force: uploadFile writes its row at most a function timeout after
 * its object; a minute more allows for the clock of the machine running the
 * command differing from S3's.
 */
export const ORPHAN_MIN_AGE_FLOOR_SECONDS = FUNCTION_TIMEOUT_SECONDS + 60;

/** Objects, and as many rows, the scheduled reconciler examines per run, going on from where the last run stopped. */
export const RECONCILE_BATCH_SIZE = 2_000;
