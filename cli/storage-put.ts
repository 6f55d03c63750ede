/**
 * One PUT of a file's slice to a presigned storage URL, streamed from disk:
 * the file is never read into memory, a part holds one read buffer at a time.
 * The URL is signed for the exact headers of the ticket (content-length and
 * x-amz-checksum-sha256), so storage itself refuses any other bytes.
 */
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, isAbort } from './errors';
import { header, networkError, readText, send } from './http';

export interface Slice {
  file: string;
  /** First byte and length of the slice. */
  start: number;
  length: number;
}

/** S3 answers errors as XML: <Error><Code>BadDigest</Code><Message>…</Message></Error>. */
export function storageError(status: number | undefined, body: string, what: string): CliError {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
  return new CliError(code ?? `HTTP${status}`, `Storage refused ${what} (${status}): ${message ?? (body.slice(0, 200) || 'no details')}.`);
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
const networkFailure = (error: unknown) => NETWORK_CODES.has((error as NodeJS.ErrnoException)?.code ?? '');

/** Worth trying again: the connection broke, or storage had a moment (5xx, 429); never a refusal of the bytes. */
const transient = (error: unknown) =>
  networkFailure(error) ||
  (error instanceof CliError && /^(HTTP5\d\d|HTTP429|InternalError|SlowDown|ServiceUnavailable|RequestTimeout)$/.test(error.errorType));

/** What a failure that is not already a CliError means to the user: the network, or the local file. */
function explain(error: unknown, url: string, slice: Slice): unknown {
  if (error instanceof CliError) return error;
  if (networkFailure(error)) return networkError(url, error);
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code) return new CliError('FileReadError', `Could not read ${slice.file} (${code}): did it change or move during the upload?`);
  return error;
}

const RETRY_DELAYS_MS = [500, 2000, 5000];

/**
 * PUTs `slice` to `url` with the ticket's `headersJson`; resolves with storage's ETag.
 * `onBytes` counts bytes as they go out, and takes them back if an attempt fails.
 */
export async function putSlice(
  url: string,
  headersJson: string,
  slice: Slice,
  options: { signal: AbortSignal; ca?: string; onBytes: (bytes: number) => void; what: string },
): Promise<string> {
  // Node sends exactly these headers: content-length too, which a streamed body needs and the signature covers.
  const headers = JSON.parse(headersJson) as Record<string, string>;
  for (let attempt = 0; ; attempt++) {
    let sent = 0;
    try {
      const body = createReadStream(slice.file, { start: slice.start, end: slice.start + slice.length - 1, highWaterMark: 256 * 1024 });
      body.on('data', (chunk) => {
        sent += chunk.length;
        options.onBytes(chunk.length);
      });
      const response = await send(url, { method: 'PUT', headers, body, signal: options.signal, ca: options.ca });
      const text = await readText(response);
      if (response.statusCode !== 200) throw storageError(response.statusCode, text, options.what);
      const etag = header(response.headers, 'etag');
      if (!etag) throw new CliError('InternalFailure', `Storage stored ${options.what} but answered no ETag.`);
      return etag;
    } catch (error) {
      options.onBytes(-sent);
      if (isAbort(error, options.signal)) throw error;
      if (!transient(error) || attempt >= RETRY_DELAYS_MS.length) throw explain(error, url, slice);
      await sleep(RETRY_DELAYS_MS[attempt], undefined, { signal: options.signal });
    }
  }
}
