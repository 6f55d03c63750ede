/**
 * What each step of the smoke test does to the API, and what it checks. A
 * check that finds the API wrong throws a CliError saying what it found.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeleteFileDocument, FileDocument, UploadFileDocument } from '../../generated/operations';
import { listAll } from '../commands/ls';
import type { Connection } from '../context';
import { CliError } from '../errors';
import { formatBytes } from '../format';
import { networkError, readJson, readText, send } from '../http';
import { silentReporter } from '../progress';
import { uploadFile } from '../upload';

/** A file the smoke test stored, and what its bytes must hash to. */
export interface SentFile {
  fileID: string;
  fileName: string;
  size: number;
  sha256: string;
}

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** Names that say where a file came from, should one be left behind. */
const nameFor = (what: string) => `smoke-${what}-${new Date().toISOString().replace(/[:.]/g, '-')}.bin`;

function expectStored(what: string, stored: { size: number }, sent: Buffer): void {
  if (stored.size !== sent.length) throw new CliError('Mismatch', `${what} was recorded with ${stored.size} bytes; ${sent.length} were sent.`);
}

/** uploadFile: the bytes inline in the mutation. */
/** Told each fileID the API stored, before any check of it runs: a file found wrong is still cleaned up. */
export type RecordCreated = (fileID: string) => void;

export async function uploadInline({ api }: Connection, projectID: string, signal: AbortSignal, created: RecordCreated): Promise<SentFile> {
  const bytes = randomBytes(64 * 1024);
  const fileName = nameFor('inline');
  const { uploadFile: stored } = await api(
    UploadFileDocument,
    { input: { projectID, fileName, fileType: 'bin', contentBase64: bytes.toString('base64') } },
    signal,
  );
  created(stored.fileID);
  expectStored(fileName, stored, bytes);
  if (stored.sha256 !== sha256(bytes))
    throw new CliError('Mismatch', `${fileName} was recorded with sha256 ${stored.sha256}; the bytes sent have ${sha256(bytes)}.`);
  return { fileID: stored.fileID, fileName, size: bytes.length, sha256: sha256(bytes) };
}

/** createUploadUrl → presigned PUTs of the parts, straight to storage → completeUpload: the CLI's own upload. */
export async function uploadLarge(
  { api, target }: Connection,
  projectID: string,
  mib: number,
  signal: AbortSignal,
  created: RecordCreated,
): Promise<SentFile & { parts: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'codecraft-files-smoke-'));
  try {
    const bytes = randomBytes(mib * MiB);
    const name = nameFor('large');
    const absolutePath = path.join(dir, name);
    await writeFile(absolutePath, bytes);
    const { mtimeMs } = await stat(absolutePath);
    const outcome = await uploadFile(
      api,
      { path: absolutePath, absolutePath, name, size: bytes.length, mtimeMs },
      { projectID, fileType: 'bin', concurrency: 4, ca: target.ca },
      silentReporter,
      signal,
    );
    created(outcome.kind === 'uploaded' ? outcome.file.fileID : outcome.fileID);
    if (outcome.kind !== 'uploaded') throw new CliError('Mismatch', `${name} is new, yet the API says it was uploaded before (file ${outcome.fileID}).`);
    expectStored(name, outcome.file, bytes);
    return { fileID: outcome.file.fileID, fileName: name, size: bytes.length, sha256: sha256(bytes), parts: outcome.parts };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const listed = async ({ api }: Connection, projectID: string, signal: AbortSignal): Promise<string[]> =>
  (await listAll(api, projectID, signal)).map((file) => file.fileID);

export async function expectListed(connection: Connection, projectID: string, files: SentFile[], signal: AbortSignal): Promise<number> {
  const ids = await listed(connection, projectID, signal);
  const missing = files.filter((file) => !ids.includes(file.fileID));
  if (missing.length)
    throw new CliError('Mismatch', `filesByProject(${projectID}) does not list ${missing.map((f) => `${f.fileName} (${f.fileID})`).join(', ')}.`);
  return ids.length;
}

/** POST /upload with the historical payload and a user-pool token, as legacy clients send it. */
export async function uploadRest({ target, auth }: Connection, projectID: string, signal: AbortSignal, created: RecordCreated): Promise<SentFile> {
  const restUrl = target.restUrl!;
  const bytes = Buffer.from(`Uploaded by the smoke test through POST /upload at ${new Date().toISOString()}.\n`);
  const fileName = nameFor('rest').replace(/\.bin$/, '.txt');
  const payload = { file_content: bytes.toString('base64'), file_name: fileName, project_id: projectID, file_type: 'text' };
  const response = await send(restUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    signal,
    ca: target.ca,
  }).catch((error) => {
    throw signal.aborted ? error : networkError(restUrl, error);
  });
  const body = (await readJson(response)) as { file?: { fileID?: string; size?: number }; errorType?: string; message?: string } | undefined;
  if (response.statusCode !== 200 || typeof body?.file?.fileID !== 'string') {
    throw new CliError(body?.errorType ?? `HTTP${response.statusCode}`, body?.message ?? `${restUrl} answered ${response.statusCode} without a file.`);
  }
  created(body.file.fileID);
  expectStored(fileName, { size: Number(body.file.size) }, bytes);
  return { fileID: body.file.fileID, fileName, size: bytes.length, sha256: sha256(bytes) };
}

/** File.downloadUrl, fetched and hashed as it streams: the bytes must be the ones sent. */
export async function expectDownload({ api, target }: Connection, file: SentFile, signal: AbortSignal): Promise<void> {
  const { file: found } = await api(FileDocument, { fileID: file.fileID }, signal);
  if (!found?.downloadUrl) throw new CliError('NotFound', `file(${file.fileID}) has no downloadUrl: ${file.fileName} is not available.`);
  const response = await send(found.downloadUrl, { method: 'GET', signal, ca: target.ca }).catch((error) => {
    throw signal.aborted ? error : networkError(found.downloadUrl!, error);
  });
  if (response.statusCode !== 200)
    throw new CliError(
      `HTTP${response.statusCode}`,
      `The download of ${file.fileName} answered ${response.statusCode}: ${(await readText(response)).slice(0, 300)}`,
    );
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of response) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const digest = hash.digest('hex');
  if (size !== file.size || digest !== file.sha256) {
    throw new CliError(
      'Mismatch',
      `The download of ${file.fileName} is ${formatBytes(size)} with sha256 ${digest}; ${formatBytes(file.size)} with sha256 ${file.sha256} were sent.`,
    );
  }
}

export async function deleteFile({ api }: Connection, file: Pick<SentFile, 'fileID'>, signal: AbortSignal): Promise<void> {
  const { deleteFile: deleted } = await api(DeleteFileDocument, { fileID: file.fileID }, signal);
  if (deleted.fileID !== file.fileID) throw new CliError('Mismatch', `deleteFile(${file.fileID}) answered with file ${deleted.fileID}.`);
}

export async function expectNotListed(connection: Connection, projectID: string, files: SentFile[], signal: AbortSignal): Promise<void> {
  const ids = await listed(connection, projectID, signal);
  const still = files.filter((file) => ids.includes(file.fileID));
  if (still.length) throw new CliError('Mismatch', `filesByProject(${projectID}) still lists ${still.map((f) => f.fileName).join(', ')} after deleteFile.`);
}
