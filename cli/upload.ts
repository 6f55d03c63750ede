/**
 * One file through the direct-upload flow: hash it, createUploadUrl, PUT the
 * bytes straight to storage (one PUT up to 32 MiB; above, parts in parallel),
 * completeUpload. The clientToken comes from the file itself (resume-token.ts),
 * so a second run after Ctrl-C gets the same upload back, with the parts
 * storage already holds marked by their ETag: only the others are sent.
 */
import {
  CompleteUploadDocument,
  CreateUploadUrlDocument,
  type CreateUploadInput,
  type CreateUploadUrlMutation,
  type FileFieldsFragment,
} from '../generated/operations';
import { URL_EXPIRY_SECONDS } from '../functions/core/limits';
import { defaultPartSize, isMultipart, partCount, partLength } from '../functions/core/parts';
import { hashFile } from './checksums';
import { CliError, Interrupted, isAbort } from './errors';
import { formatBytes } from './format';
import type { GraphQLCall } from './graphql';
import { runPool } from './pool';
import type { Reporter, Tracker } from './progress';
import { resumeToken } from './resume-token';
import { putSlice } from './storage-put';

export interface LocalFile {
  /** As the user typed it, for messages. */
  path: string;
  absolutePath: string;
  /** The file name the API records: the last path segment. */
  name: string;
  size: number;
  mtimeMs: number;
}

export interface UploadSettings {
  projectID: string;
  fileType: string;
  /** Bytes per part for multipart files; the API's default (parts.ts) when omitted. */
  partSize?: number;
  /** Parts in flight at once. */
  concurrency: number;
  /** Trusted for https:// storage URLs of the local server. */
  ca?: string;
}

export type UploadOutcome =
  | { kind: 'uploaded'; file: FileFieldsFragment; parts: number; sentParts: number; resumedParts: number; sentBytes: number; seconds: number }
  | { kind: 'already'; fileID: string };

type Ticket = CreateUploadUrlMutation['createUploadUrl'];
type Part = { partNumber: number; etag: string };

const MiB = 1024 * 1024;
/** Stop starting parts this long before a ticket's URLs run out; the next ticket has fresh ones. */
const EXPIRY_MARGIN_MS = 60_000;

const ALREADY_COMPLETE = /already complete: it is file (\S+?)\./;
const OTHER_FILE = /was already used for another file/;

/** Part sizes are whole MiB by default: say "16 MiB", not "16.8 MB". */
const mibs = (bytes: number) => (bytes % MiB === 0 ? `${bytes / MiB} MiB` : formatBytes(bytes));

export async function uploadFile(api: GraphQLCall, file: LocalFile, settings: UploadSettings, reporter: Reporter, signal: AbortSignal): Promise<UploadOutcome> {
  const multipart = isMultipart(file.size);
  const partSize = multipart ? (settings.partSize ?? defaultPartSize(file.size)) : undefined;
  const tracker = reporter.track(file.name, file.size);
  const progress = { ticketed: false, stored: 0, parts: partSize ? partCount(file.size, partSize) : 1 };
  const started = Date.now();
  try {
    // Storage checks every byte against these digests: they are needed before the first byte goes out.
    tracker.phase('hashing');
    const digest = await hashFile(file.absolutePath, partSize, signal, (bytes) => tracker.advance(bytes));
    const input: CreateUploadInput = {
      projectID: settings.projectID,
      fileName: file.name,
      fileType: settings.fileType,
      size: file.size,
      clientToken: resumeToken({ projectID: settings.projectID, absolutePath: file.absolutePath, size: file.size, mtimeMs: file.mtimeMs }),
      // partSize is always sent, so the hashes above and the API's split can never disagree.
      ...(partSize ? { partSize, partSha256: digest.partSha256() } : { sha256: digest.sha256() }),
    };
    const ticket = await createTicket(api, input, file, signal);
    if (ticket.kind === 'already') return ticket;
    progress.ticketed = true;

    let parts: Part[] | undefined;
    let sent = { parts: 1, bytes: file.size };
    if (partSize) {
      ({ parts, sent } = await sendParts(api, input, ticket.ticket, file, partSize, settings, reporter, tracker, progress, signal));
    } else {
      reporter.line(`${file.name}: file ${ticket.ticket.fileID}, one PUT of ${formatBytes(file.size)}`);
      tracker.phase('uploading');
      await putSlice(
        ticket.ticket.uploadUrl!,
        ticket.ticket.uploadHeaders!,
        { file: file.absolutePath, start: 0, length: file.size },
        {
          signal,
          ca: settings.ca,
          onBytes: (bytes) => tracker.advance(bytes),
          what: file.name,
        },
      );
    }
    const { completeUpload } = await api(CompleteUploadDocument, { input: { fileID: ticket.ticket.fileID, ...(parts ? { parts } : {}) } }, signal);
    return {
      kind: 'uploaded',
      file: completeUpload,
      parts: progress.parts,
      sentParts: sent.parts,
      resumedParts: progress.parts - sent.parts,
      sentBytes: sent.bytes,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (error) {
    if (!isAbort(error, signal)) throw error;
    const where = !progress.ticketed
      ? `nothing of ${file.name} was sent in this run`
      : partSize
        ? `${progress.stored} of ${progress.parts} parts of ${file.name} are stored`
        : `${file.name} was not uploaded`;
    throw new Interrupted(`Interrupted: ${where}. Run the same command again to resume.`);
  } finally {
    tracker.end();
  }
}

async function createTicket(
  api: GraphQLCall,
  input: CreateUploadInput,
  file: LocalFile,
  signal: AbortSignal,
): Promise<{ kind: 'ticket'; ticket: Ticket } | { kind: 'already'; fileID: string }> {
  try {
    return { kind: 'ticket', ticket: (await api(CreateUploadUrlDocument, { input }, signal)).createUploadUrl };
  } catch (error) {
    if (!(error instanceof CliError) || error.errorType !== 'Conflict') throw error;
    // The same file (path, size, time) was uploaded to this project before: nothing to do.
    const done = ALREADY_COMPLETE.exec(error.message);
    if (done) return { kind: 'already', fileID: done[1] };
    if (OTHER_FILE.test(error.message)) {
      throw new CliError(
        'Conflict',
        `An unfinished upload of ${file.path} was started with another --type or --part-size: run the command again with the same options to resume it (${error.message})`,
      );
    }
    throw error;
  }
}

/** PUTs every part storage does not hold yet, `concurrency` at a time, asking for fresh tickets as URLs run out or expire. */
async function sendParts(
  api: GraphQLCall,
  input: CreateUploadInput,
  first: Ticket,
  file: LocalFile,
  partSize: number,
  settings: UploadSettings,
  reporter: Reporter,
  tracker: Tracker,
  progress: { stored: number; parts: number },
  signal: AbortSignal,
): Promise<{ parts: Part[]; sent: { parts: number; bytes: number } }> {
  if (first.partSize !== partSize || first.parts?.length !== progress.parts) {
    throw new CliError(
      'InternalFailure',
      `createUploadUrl answered ${first.parts?.length} parts of ${first.partSize} bytes; ${progress.parts} of ${partSize} were asked for.`,
    );
  }
  const etags = new Map<number, string>();
  const length = (partNumber: number) => partLength(file.size, partSize, partNumber);
  const storedBytes = () => [...etags.keys()].reduce((sum, n) => sum + length(n), 0);
  const remember = (ticket: Ticket) => {
    for (const part of ticket.parts ?? []) if (part.etag) etags.set(part.partNumber, part.etag);
    progress.stored = etags.size;
  };
  remember(first);
  const resumed = etags.size;
  reporter.line(`${file.name}: file ${first.fileID}, ${progress.parts} parts of ${mibs(partSize)}`);
  if (resumed) reporter.line(`${file.name}: resuming, ${resumed} of ${progress.parts} parts already stored (${formatBytes(storedBytes())})`);
  tracker.phase('uploading', storedBytes());

  const sent = { parts: 0, bytes: 0 };
  let ticket = first;
  let received = Date.now();
  while (etags.size < progress.parts) {
    const todo = (ticket.parts ?? []).filter((part) => part.url && part.headers && !etags.has(part.partNumber));
    if (!todo.length) throw new CliError('InternalFailure', `createUploadUrl gave no URL for the ${progress.parts - etags.size} parts still missing.`);
    const usableUntil = received + URL_EXPIRY_SECONDS * 1000 - EXPIRY_MARGIN_MS;
    await runPool(
      todo,
      settings.concurrency,
      async (part, partSignal) => {
        // Measured from when the ticket arrived, on this clock: immune to skew between this machine and the API's.
        if (Date.now() > usableUntil) return;
        const bytes = length(part.partNumber);
        const etag = await putSlice(
          part.url!,
          part.headers!,
          { file: file.absolutePath, start: (part.partNumber - 1) * partSize, length: bytes },
          {
            signal: partSignal,
            ca: settings.ca,
            onBytes: (n) => tracker.advance(n),
            what: `part ${part.partNumber} of ${file.name}`,
          },
        );
        etags.set(part.partNumber, etag);
        progress.stored = etags.size;
        sent.parts += 1;
        sent.bytes += bytes;
        const done = storedBytes();
        tracker.milestone(
          `part ${part.partNumber}/${progress.parts} stored (${formatBytes(done)} of ${formatBytes(file.size)}, ${Math.floor((done / file.size) * 100)}%)`,
          etags.size === progress.parts,
        );
      },
      signal,
    );
    if (etags.size < progress.parts) {
      // URLs for the next (at most 1,000) parts, or fresh ones for those whose URLs were about to expire.
      ticket = (await api(CreateUploadUrlDocument, { input }, signal)).createUploadUrl;
      received = Date.now();
      remember(ticket);
    }
  }
  const parts = [...etags].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
  return { parts, sent };
}
