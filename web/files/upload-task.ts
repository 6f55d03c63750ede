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
const SPEED_WINDOW_MS = 3000;

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (blob: Blob) => hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));

export class UploadTask {
  readonly id = crypto.randomUUID();
  private readonly clientToken = crypto.randomUUID();
  private snapshot: UploadSnapshot;
  private controller = new AbortController();
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
    this.controller = new AbortController();
    this.samples = [];
    try {
      this.update({ state: 'hashing', error: undefined, speed: 0 });
      const ticket = await this.api.createUpload(await this.ticketInput());
      this.fileID = ticket.fileID;
      // Cancelled while hashing or asking: the ticket's upload is discarded rather than sent.
      if (this.controller.signal.aborted) return void (await this.api.abortUpload(ticket.fileID).catch(() => {}));
      this.update({ state: 'uploading' });
      const parts = await this.send(ticket);
      this.update({ state: 'completing' });
      await this.api.completeUpload(ticket.fileID, parts);
      this.update({ state: 'done', bytesSent: this.file.size, speed: 0 });
    } catch (error) {
      if (this.input && (await this.input.catch(() => undefined)) === undefined) this.input = undefined;
      if (this.snapshot.state !== 'cancelled') this.update({ state: 'failed', error, speed: 0 });
    }
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
    const common = { projectID: this.projectID, fileName: name, fileType: type.split('/')[0] || 'file', size, clientToken: this.clientToken, ...(type ? { contentType: type } : {}) };
    if (!isMultipart(size)) return { ...common, sha256: await sha256(this.file) };
    const partSize = defaultPartSize(size);
    const partSha256: string[] = [];
    for (let i = 0; i < partCount(size, partSize); i++) partSha256.push(await sha256(this.file.slice(i * partSize, (i + 1) * partSize)));
    return { ...common, partSha256 };
  }

  private async send(ticket: Ticket): Promise<{ partNumber: number; etag: string }[] | undefined> {
    const { signal } = this.controller;
    if (ticket.uploadUrl && ticket.uploadHeaders) {
      await putBlob(ticket.uploadUrl, ticket.uploadHeaders, this.file, (sent) => this.progress(1, sent), signal);
      return undefined;
    }
    const partSize = ticket.partSize!;
    let parts = ticket.parts!;
    const done: { partNumber: number; etag: string }[] = [];
    // A ticket carries at most 1,000 part URLs: ask again (same clientToken) until every part is stored.
    for (;;) {
      const todo = parts.filter((p) => p.url && p.headers);
      for (const part of parts) if (part.etag) this.progress(part.partNumber, Math.min(partSize, this.file.size - (part.partNumber - 1) * partSize));
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL_PARTS }, async () => {
          while (next < todo.length) {
            const part = todo[next++];
            const blob = this.file.slice((part.partNumber - 1) * partSize, part.partNumber * partSize);
            const etag = await putBlob(part.url!, part.headers!, blob, (sent) => this.progress(part.partNumber, sent), signal);
            done.push({ partNumber: part.partNumber, etag });
          }
        }),
      );
      const stored = new Map([...parts.filter((p) => p.etag).map((p) => [p.partNumber, p.etag!] as const), ...done.map((p) => [p.partNumber, p.etag] as const)]);
      if (stored.size === parts.length) return [...stored].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
      parts = (await this.api.createUpload(await this.ticketInput())).parts!;
    }
  }
}
