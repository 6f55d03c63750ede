/**
 * The large-upload flow as a client runs it, over real HTTP only:
 * createUploadUrl, PUT the bytes to the presigned URLs (parts in parallel),
 * completeUpload.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CompleteUploadDocument, CreateUploadUrlDocument } from '../../generated/operations';
import { postGraphQL, type Json } from './graphql-http';

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A GraphQL caller with fixed auth headers. */
export const graphqlAs = (url: string, headers: Record<string, string>) => (query: { toString(): string }, variables: Record<string, unknown>) =>
  postGraphQL(url, { query: query.toString(), variables }, headers);

export type GraphQLCall = ReturnType<typeof graphqlAs>;

/** Deterministic bytes that no magic-number sniffer recognises. */
export function bytesOf(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed;
  for (let i = 0; i < size; i += 4) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes.writeUInt32LE(state, Math.min(i, size - 4));
  }
  return bytes;
}

/** The ticket's signed headers, minus content-length: fetch sets it from the body (browsers refuse to set it by hand). */
export function putHeaders(headersJson: string): Record<string, string> {
  const { 'content-length': _length, ...rest } = JSON.parse(headersJson) as Record<string, string>;
  return rest;
}

export async function putBytes(url: string, headersJson: string, body: Uint8Array): Promise<Response> {
  return fetch(url, { method: 'PUT', headers: putHeaders(headersJson), body });
}

export function partHashes(bytes: Buffer, partSize: number): string[] {
  const hashes: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += partSize) hashes.push(sha256Hex(bytes.subarray(offset, offset + partSize)));
  return hashes;
}

export interface SendOptions {
  projectID: string;
  fileName: string;
  fileType?: string;
  partSize?: number;
  clientToken?: string;
  contentType?: string;
}

const MULTIPART_THRESHOLD = 32 * 1024 * 1024;
const DEFAULT_PART = 16 * 1024 * 1024;

/** createUploadUrl for `bytes`, with the checksums the ticket must bind. */
export function ticketInput(bytes: Buffer, options: SendOptions) {
  const multipart = bytes.length > MULTIPART_THRESHOLD;
  const partSize = options.partSize ?? DEFAULT_PART;
  return {
    projectID: options.projectID,
    fileName: options.fileName,
    fileType: options.fileType ?? 'data',
    size: bytes.length,
    ...(multipart ? { partSha256: partHashes(bytes, partSize), ...(options.partSize ? { partSize } : {}) } : { sha256: sha256Hex(bytes) }),
    // Multipart uploads need one: it is how they resume.
    ...(options.clientToken || multipart ? { clientToken: options.clientToken ?? randomUUID() } : {}),
    ...(options.contentType ? { contentType: options.contentType } : {}),
  };
}

/** Uploads every part the ticket has a URL for, all at once; answers the parts with their ETags. */
export async function putParts(ticket: Json, bytes: Buffer): Promise<{ partNumber: number; etag: string }[]> {
  return Promise.all(
    ticket.parts.map(async (part: Json) => {
      if (part.etag) return { partNumber: part.partNumber, etag: part.etag };
      const offset = (part.partNumber - 1) * ticket.partSize;
      const response = await putBytes(part.url, part.headers, bytes.subarray(offset, offset + ticket.partSize));
      if (!response.ok) throw new Error(`part ${part.partNumber}: ${response.status} ${await response.text()}`);
      return { partNumber: part.partNumber, etag: response.headers.get('etag')! };
    }),
  );
}

/** The whole flow; answers completeUpload's response. */
export async function sendFile(call: GraphQLCall, bytes: Buffer, options: SendOptions): Promise<{ ticket: Json; completed: { status: number; body: Json } }> {
  const created = await call(CreateUploadUrlDocument, { input: ticketInput(bytes, options) });
  const ticket = created.body.data?.createUploadUrl;
  if (!ticket) throw new Error(`createUploadUrl: ${JSON.stringify(created.body)}`);
  let parts: { partNumber: number; etag: string }[] | undefined;
  if (ticket.uploadUrl) {
    const response = await putBytes(ticket.uploadUrl, ticket.uploadHeaders, bytes);
    if (!response.ok) throw new Error(`PUT: ${response.status} ${await response.text()}`);
  } else {
    parts = await putParts(ticket, bytes);
  }
  const completed = await call(CompleteUploadDocument, { input: { fileID: ticket.fileID, ...(parts ? { parts } : {}) } });
  return { ticket, completed };
}
