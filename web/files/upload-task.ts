/**
 * One file's upload, straight to storage: hash (each part, or the whole
 * file up to the multipart threshold) → createUploadUrl → PUT the bytes,
 * parts four at a time → completeUpload. Its clientToken is kept for the
 * task's life, so "retry" resumes: parts storage already holds come back
 * with their ETag and are not sent again.
 */
import { defaultPartSize, isMultipart, partCount } from '../../functions/core/parts';
import type { FilesApi, Ticket } from './api';
import { putBlob } from './put-blob';

export type UploadState = 'hashing' | 'uploading' | 'completing' | 'done' | 'failed' | 'cancelled';

export interface UploadSnapshot {
  id: string;
  fileName: string;
  size: number;
  state: UploadState;
  bytesSent: number;
  /** Bytes per second over the last few seconds. */
  speed: number;
  error?: unknown;
}

const PARALLEL_PARTS = 4;
/** A part is not started within a minute of its URL's expiry: the next ticket brings fresh ones. */
const URL_MARGIN_MS = 60_000;
const SPEED_WINDOW_MS = 3000;

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (blob: Blob) => hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));

export class UploadTask {
  readonly id = crypto.randomUUID();
  private readonly clientToken = crypto.randomUUID();
  private snapshot: UploadSnapshot;
  private controller = new AbortController();
  /** The run in progress, if any: a retry waits for a cancelled run to wind down first. */
  private running?: Promise<void>;
  private fileID?: string;
  private sentByPart = new Map<number, number>();
  private samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly file: File,
    private readonly projectID: string,
    private readonly api: FilesApi,
    private readonly onChange: (snapshot: UploadSnapshot) => void,
  ) {
    this.snapshot = { id: this.id, fileName: file.name, size: file.size, state: 'hashing', bytesSent: 0, speed: 0 };
  }

  get current(): UploadSnapshot {
    return this.snapshot;
  }

  private update(change: Partial<UploadSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    this.onChange(this.snapshot);
  }

  private progress(partNumber: number, sent: number): void {
    this.sentByPart.set(partNumber, sent);
    const bytesSent = [...this.sentByPart.values()].reduce((a, b) => a + b, 0);
    const now = performance.now();
    this.samples = [...this.samples.filter((s) => now - s.at < SPEED_WINDOW_MS), { at: now, bytes: bytesSent }];
    const first = this.samples[0];
    const speed = now > first.at ? ((bytesSent - first.bytes) * 1000) / (now - first.at) : 0;
    this.update({ bytesSent, speed });
  }

  async start(): Promise<void> {
    await this.running;
    const run = new AbortController();
    this.controller = run;
    this.running = this.run(run.signal);
    return this.running;
  }

  /** One attempt; `signal` is this attempt's own, so a later retry never un-cancels it. */
  private async run(signal: AbortSignal): Promise<void> {
    this.samples = [];
    this.sentByPart.clear();
    try {
      this.update({ state: 'hashing', error: undefined, bytesSent: 0, speed: 0 });
      const ticket = await this.api.createUpload(await this.ticketInput());
      this.fileID = ticket.fileID;
      // Cancelled while hashing or asking: the ticket's upload is discarded rather than sent.
      if (signal.aborted) return void (await this.api.abortUpload(ticket.fileID).catch(() => {}));
      this.update({ state: 'uploading' });
      const parts = await this.send(ticket, signal);
      this.update({ state: 'completing' });
      await this.api.completeUpload(ticket.fileID, parts);
      this.update({ state: 'done', bytesSent: this.file.size, speed: 0 });
    } catch (error) {
      if (this.input && (await this.input.catch(() => undefined)) === undefined) this.input = undefined;
      if (!signal.aborted) this.update({ state: 'failed', error, speed: 0 });
    }
  }

  /** Whether the task is still hashing or sending. */
  get active(): boolean {
    return this.snapshot.state === 'hashing' || this.snapshot.state === 'uploading';
  }

  /** Stops sending and tells the service to discard what was stored. */
  async cancel(): Promise<void> {
    this.update({ state: 'cancelled', speed: 0 });
    this.controller.abort();
    if (this.fileID) await this.api.abortUpload(this.fileID).catch(() => {});
  }

  private input?: ReturnType<UploadTask['hashInput']>;

  /** Hashed once per task: a retry or a further ticket reuses the checksums. */
  private ticketInput() {
    return (this.input ??= this.hashInput());
  }

  private async hashInput() {
    const { name, size, type } = this.file;
    // No contentType: the browser's guess comes from the extension alone (an .mts module is "video/mp2t"); the API
    // decides from the bytes and the name, as it does for the command line.
    const common = { projectID: this.projectID, fileName: name, fileType: type.split('/')[0] || 'file', size, clientToken: this.clientToken };
    if (!isMultipart(size)) return { ...common, sha256: await sha256(this.file) };
    const partSize = defaultPartSize(size);
    const partSha256: string[] = [];
    for (let i = 0; i < partCount(size, partSize); i++) partSha256.push(await sha256(this.file.slice(i * partSize, (i + 1) * partSize)));
    return { ...common, partSha256 };
  }

  private async send(ticket: Ticket, signal: AbortSignal): Promise<{ partNumber: number; etag: string }[] | undefined> {
    if (ticket.uploadUrl && ticket.uploadHeaders) {
      await putBlob(ticket.uploadUrl, ticket.uploadHeaders, this.file, (sent) => this.progress(1, sent), signal);
      return undefined;
    }
    const partSize = ticket.partSize!;
    const stored = new Map<number, string>();
    // A ticket carries at most 1,000 part URLs, valid 15 minutes: ask again (same clientToken) until every part is stored.
    for (let current = ticket; ; current = await this.api.createUpload(await this.ticketInput())) {
      const parts = current.parts!;
      for (const part of parts) {
        if (!part.etag) continue;
        stored.set(part.partNumber, part.etag);
        this.progress(part.partNumber, Math.min(partSize, this.file.size - (part.partNumber - 1) * partSize));
      }
      if (stored.size === parts.length) return [...stored].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
      await this.sendParts(current, stored, signal);
    }
  }

  /** Sends the ticket's parts, four at a time, until they are done or its URLs are about to expire; the first failure stops the others. */
  private async sendParts(ticket: Ticket, stored: Map<number, string>, parentSignal: AbortSignal): Promise<void> {
    const partSize = ticket.partSize!;
    const deadline = Date.parse(ticket.expiresAt) - URL_MARGIN_MS;
    const todo = ticket.parts!.filter((p) => p.url && p.headers && !stored.has(p.partNumber));
    const batch = new AbortController();
    const stop = () => batch.abort();
    parentSignal.addEventListener('abort', stop, { once: true });
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: PARALLEL_PARTS }, async () => {
          while (next < todo.length && Date.now() < deadline) {
            const part = todo[next++];
            const blob = this.file.slice((part.partNumber - 1) * partSize, part.partNumber * partSize);
            try {
              stored.set(part.partNumber, await putBlob(part.url!, part.headers!, blob, (sent) => this.progress(part.partNumber, sent), batch.signal));
            } catch (error) {
              batch.abort();
              throw error;
            }
          }
        }),
      );
    } finally {
      parentSignal.removeEventListener('abort', stop);
    }
  }
}
