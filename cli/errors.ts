/**
 * How `files` ends. Scripts branch on the exit code, people read stderr: every
 * failure carries an errorType — the API's own (GraphQL `errorType`) when the
 * service refused, a local label (NoSuchFile, NetworkError…) otherwise.
 */

export const EXIT = {
  ok: 0,
  /** The command ran and failed: the service refused, the network failed, a checksum did not match. */
  failed: 1,
  /** The command line itself was wrong; nothing was attempted. */
  usage: 2,
  /** Ctrl-C: 128 + SIGINT, what shells report for a process killed by it. */
  interrupted: 130,
} as const;

/** A failure with an errorType: exit 1, `errorType: message` on stderr. */
export class CliError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/** A wrong or unsupported command line: exit 2. */
export class UsageError extends Error {}

/** Stopped by Ctrl-C; the message says how to pick up where it stopped: exit 130. */
export class Interrupted extends Error {}

/** Whether `error` is the rejection of an operation we aborted (fetch, http, streams and ws all say so differently). */
export const isAbort = (error: unknown, signal?: AbortSignal): boolean =>
  Boolean(signal?.aborted) || (error instanceof Error && (error.name === 'AbortError' || (error as NodeJS.ErrnoException).code === 'ABORT_ERR'));
