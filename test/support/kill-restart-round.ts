/**
 * One kill-and-restart round, as issue 11 measured it: `npm start` on a
 * data directory, `uploads` inline uploads of ~10 KB with `inFlight` at a
 * time, SIGKILL after `killAfter` answers, a restart on the same
 * directory, and what survived. Used by test/local/kill-restart.test.ts
 * (one round) and bench/kill-restart.ts (ten). No vitest here.
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { storageClients } from '../../local/storage/index';
import { createHash, randomBytes } from 'node:crypto';
import { FileDocument, FilesByProjectDocument, UploadFileDocument } from '../../generated/operations';
import { graphqlAs, type GraphQLCall } from './direct-upload';
import { startNpmStart } from './npm-start';

export interface RoundResult {
  answered: number;
  /** Answered uploads not listed, or listed with other bytes. */
  lost: string[];
  /** Listed files without a row (file(fileID) is null), after the restart's check. */
  phantoms: string[];
  /**
   * What the restart's check repaired in the table's index (index entries
   * without a row removed, missing ones restored): phantoms the check hid.
   * dynalite writes an item and its index entries in one batch
   * (patches/dynalite+4.0.0.patch), so a kill leaves none.
   */
  indexRepairs: string[];
  /** Listed files without an object. */
  rowsWithoutObjects: string[];
  /** Objects of the project that no listed file names, after the restart's check. */
  orphansLeft: string[];
  bucketListable: boolean;
  /** What the restart's start-up check printed. */
  checkLines: string[];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function listAll(call: GraphQLCall, projectID: string): Promise<{ fileID: string; s3Key: string; sha256: string }[]> {
  const files = [];
  let nextToken: string | null = null;
  do {
    const { body } = await call(FilesByProjectDocument, { projectID, limit: 100, nextToken });
    files.push(...body.data.filesByProject.items);
    nextToken = body.data.filesByProject.nextToken;
  } while (nextToken);
  return files;
}

async function allKeys(s3: S3Client, Bucket: string, Prefix: string): Promise<string[] | undefined> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  try {
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    return keys;
  } catch {
    return undefined;
  }
}

export async function killAndRestartRound(dataDir: string, { uploads = 200, inFlight = 50, killAfter = 40, projectID = 'crash' } = {}): Promise<RoundResult> {
  const first = await startNpmStart(dataDir);
  const call = graphqlAs(first.endpoints.graphqlUrl, { 'x-api-key': first.endpoints.apiKey });
  const answers = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < uploads && answers.size < killAfter) {
      const i = next++;
      const bytes = randomBytes(10_000);
      const input = { projectID, fileName: `upload-${i}.bin`, fileType: 'bin', contentBase64: bytes.toString('base64') };
      const answer = await call(UploadFileDocument, { input }).catch(() => undefined);
      const file = answer?.body?.data?.uploadFile;
      if (file) answers.set(file.fileID, sha256(bytes));
    }
    if (answers.size >= killAfter) first.child.kill('SIGKILL');
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  first.child.kill('SIGKILL');
  await first.exited;
  // Answers that arrived after the kill was sent count too: they were answered.

  const second = await startNpmStart(dataDir);
  const { s3 } = storageClients(second.endpoints.storage);
  try {
    const call2 = graphqlAs(second.endpoints.graphqlUrl, { 'x-api-key': second.endpoints.apiKey });
    const Bucket = second.endpoints.storage.bucketName;
    const listed = await listAll(call2, projectID);
    const byID = new Map(listed.map((file) => [file.fileID, file]));
    const lost: string[] = [];
    for (const [fileID, hash] of answers) {
      const file = byID.get(fileID);
      const object = file && (await s3.send(new GetObjectCommand({ Bucket, Key: file.s3Key })).catch(() => undefined));
      const bytes = object && (await object.Body!.transformToByteArray());
      if (!bytes || sha256(bytes) !== hash || file.sha256 !== hash) lost.push(fileID);
    }
    const phantoms: string[] = [];
    const rowsWithoutObjects: string[] = [];
    for (const file of listed) {
      if (!(await call2(FileDocument, { fileID: file.fileID })).body.data?.file) phantoms.push(file.fileID);
      if (!(await s3.send(new HeadObjectCommand({ Bucket, Key: file.s3Key })).catch(() => undefined))) rowsWithoutObjects.push(file.fileID);
    }
    const keys = await allKeys(s3, Bucket, `projects/${projectID}/`);
    const checkLines = second
      .output()
      .split('\n')
      .filter((line) => line.startsWith('[check]'));
    const named = new Set(listed.map((file) => file.s3Key));
    return {
      answered: answers.size,
      lost,
      phantoms,
      rowsWithoutObjects,
      orphansLeft: (keys ?? []).filter((key) => !named.has(key)),
      bucketListable: keys !== undefined,
      indexRepairs: checkLines.flatMap((line) => line.split(/[:;(] /)).filter((part) => /index entr/.test(part)),
      checkLines,
    };
  } finally {
    s3.destroy();
    second.child.kill('SIGINT');
    await second.exited;
  }
}
