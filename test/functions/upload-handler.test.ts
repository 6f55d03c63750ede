/**
 * The upload Lambda end to end: the bundle CDK deploys (dist/functions/upload),
 * configured by environment only, against real dynalite and s3rver.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { bundlePaths } from '../../infra/bundle';
import { loadLambdaHandler, type LambdaHandler } from '../../local/data-sources/lambda';
import { apiKeyCaller, iamCaller, userPoolCaller } from '../support/identities';
import { useEmbeddedStorage } from '../support/storage';
import {
  ISO_MS_UTC,
  PDF_BYTES,
  PNG_BASE64,
  PNG_BYTES,
  UUID,
  base64,
  lambdaContext,
  lambdaEnv,
  objectKeys,
  readObject,
  sha256Hex,
  tableRows,
  uploadEvent,
  uploadInput,
} from './factories';

const storage = useEmbeddedStorage();
let containers = 0;

/** A fresh Lambda container (module instance) of the bundle, with `env` as its environment. */
async function coldStart(env: Record<string, string>): Promise<LambdaHandler> {
  return loadLambdaHandler(bundlePaths.lambda('upload'), env, `functions-test-${++containers}`);
}

let handler: LambdaHandler;
beforeAll(async () => {
  handler = await coldStart(lambdaEnv(storage));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const newProject = () => `p-${randomUUID().slice(0, 8)}`;
const alice = (projectID: string) => userPoolCaller('alice', [`project-${projectID}`]);
const upload = (input: unknown, identity: unknown = userPoolCaller('alice', ['admins'])) =>
  handler(uploadEvent(input, identity), lambdaContext()) as Promise<Record<string, any>>;

describe('upload Lambda: storing a file', () => {
  it('stores the decoded bytes with their checksum and content type, and the exact metadata row', async () => {
    const projectID = newProject();
    const before = Date.now();

    const outcome = await upload(uploadInput({ projectID, fileName: 'logo.png', fileType: 'image', contentBase64: PNG_BASE64 }), alice(projectID));

    const { fileID, uploadedAt } = outcome.file;
    expect(outcome).toEqual({
      file: {
        fileID: expect.stringMatching(UUID),
        projectID,
        fileName: 'logo.png',
        fileType: 'image',
        contentType: 'image/png',
        size: PNG_BYTES.length,
        sha256: sha256Hex(PNG_BYTES),
        s3Key: `projects/${projectID}/${fileID}/logo.png`,
        uploadedAt: expect.stringMatching(ISO_MS_UTC),
        uploadedBy: 'alice',
      },
    });
    expect(Date.parse(uploadedAt)).toBeGreaterThanOrEqual(before);
    expect(await readObject(storage, outcome.file.s3Key)).toEqual({ bytes: PNG_BYTES, contentType: 'image/png' });
    expect(await tableRows(storage, projectID)).toEqual([{ ...outcome.file, status: 'AVAILABLE' }]);
  });

  it('keeps both files when the same name is uploaded twice to a project', async () => {
    const projectID = newProject();

    const first = await upload(uploadInput({ projectID, fileName: 'spec.md', contentBase64: base64('v1') }));
    const second = await upload(uploadInput({ projectID, fileName: 'spec.md', contentBase64: base64('v2') }));

    expect(first.file.fileID).not.toEqual(second.file.fileID);
    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([first.file.s3Key, second.file.s3Key].sort());
    expect((await readObject(storage, first.file.s3Key)).bytes.toString()).toBe('v1');
    expect((await readObject(storage, second.file.s3Key)).bytes.toString()).toBe('v2');
    expect(await tableRows(storage, projectID)).toHaveLength(2);
  });

  it('keeps the name as given in metadata and a sanitised copy in the key', async () => {
    const projectID = newProject();

    const { file } = await upload(uploadInput({ projectID, fileName: '../../etc/passwd' }));

    expect(file.fileName).toBe('../../etc/passwd');
    expect(file.s3Key).toBe(`projects/${projectID}/${file.fileID}/etc_passwd`);
    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([file.s3Key]);
  });

  it.each([
    ['an API key', apiKeyCaller(), 'api-key'],
    ['IAM', iamCaller('importer'), 'arn:aws:sts::123456789012:assumed-role/importer/importer'],
    ['a user pool', userPoolCaller('bob', ['admins']), 'bob'],
  ])('records who uploaded, for %s', async (_mode, identity, uploadedBy) => {
    const projectID = newProject();

    const { file } = await upload(uploadInput({ projectID }), identity);

    expect(file.uploadedBy).toBe(uploadedBy);
    expect(await tableRows(storage, projectID)).toEqual([expect.objectContaining({ uploadedBy })]);
  });

  it("uses the declared type for content with no recognisable format, the name's extension when none is declared, else octet-stream", async () => {
    const projectID = newProject();

    const declared = await upload(uploadInput({ projectID, contentType: 'text/plain; charset=utf-8' }));
    const byExtension = await upload(uploadInput({ projectID, fileName: 'notes.txt' }));
    const unknown = await upload(uploadInput({ projectID, fileName: 'notes' }));

    expect(declared.file.contentType).toBe('text/plain; charset=utf-8');
    expect((await readObject(storage, declared.file.s3Key)).contentType).toBe('text/plain; charset=utf-8');
    expect(byExtension.file.contentType).toBe('text/plain');
    expect((await readObject(storage, byExtension.file.s3Key)).contentType).toBe('text/plain');
    expect(unknown.file.contentType).toBe('application/octet-stream');
  });
});

describe('upload Lambda: idempotent retries (clientToken)', () => {
  it('returns the first file for a retry by the same caller: one object, one row', async () => {
    const projectID = newProject();
    const input = uploadInput({ projectID, clientToken: 'retry-1', contentBase64: base64('same bytes') });

    const first = await upload(input, alice(projectID));
    const retry = await upload(input, alice(projectID));

    expect(first.file.fileID).toMatch(UUID);
    expect(retry).toEqual(first);
    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([first.file.s3Key]);
    expect(await tableRows(storage, projectID)).toEqual([{ ...first.file, status: 'AVAILABLE', clientToken: 'retry-1' }]);
  });

  it('gives one file to two concurrent attempts with the same token', async () => {
    const projectID = newProject();
    const input = uploadInput({ projectID, clientToken: 'race', contentBase64: base64('raced bytes') });

    const [a, b] = await Promise.all([upload(input, alice(projectID)), upload(input, alice(projectID))]);

    expect(b).toEqual(a);
    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([a.file.s3Key]);
    expect(await tableRows(storage, projectID)).toHaveLength(1);
  });

  it('creates a separate file when another caller uses the same token', async () => {
    const projectID = newProject();
    const input = uploadInput({ projectID, clientToken: 'shared-token' });

    const byAlice = await upload(input, alice(projectID));
    const byBob = await upload(input, userPoolCaller('bob', [`project-${projectID}`]));

    expect(byBob.file.fileID).not.toBe(byAlice.file.fileID);
    expect(byBob.file.uploadedBy).toBe('bob');
    expect(await tableRows(storage, projectID)).toHaveLength(2);
  });

  it('refuses the same token with different content (Conflict) and writes nothing', async () => {
    const projectID = newProject();
    const first = await upload(uploadInput({ projectID, clientToken: 'tok', contentBase64: base64('one') }), alice(projectID));

    const outcome = await upload(uploadInput({ projectID, clientToken: 'tok', contentBase64: base64('two') }), alice(projectID));

    expect(outcome).toEqual({
      error: {
        type: 'Conflict',
        message: `clientToken "tok" was already used for different content (file ${first.file.fileID}). Use a new clientToken for a new file.`,
      },
    });
    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([first.file.s3Key]);
    expect((await readObject(storage, first.file.s3Key)).bytes.toString()).toBe('one');
    expect(await tableRows(storage, projectID)).toEqual([{ ...first.file, status: 'AVAILABLE', clientToken: 'tok' }]);
  });
});

describe('upload Lambda: refusals store nothing', () => {
  const refusals: [string, (projectID: string) => Record<string, unknown>, string, RegExp][] = [
    [
      'over the inline limit, checked before decoding (invalid base64 still counts as too large)',
      (projectID) => uploadInput({ projectID, contentBase64: '!'.repeat(900_001) }),
      'PayloadTooLarge',
      /900,001 characters; uploadFile accepts at most 900,000 characters of base64 \(675,000 bytes of file\)/,
    ],
    [
      'invalid base64',
      (projectID) => uploadInput({ projectID, contentBase64: 'aGVsbG8*' }),
      'ValidationError',
      /not valid base64: character "\*" at position 7/,
    ],
    ['an empty file', (projectID) => uploadInput({ projectID, contentBase64: '' }), 'ValidationError', /a file must have at least one byte/],
    [
      'a control character in the name',
      (projectID) => uploadInput({ projectID, fileName: 'a\u0007b.txt' }),
      'ValidationError',
      /control character U\+0007 at position 1/,
    ],
    ['a 256-byte name', (projectID) => uploadInput({ projectID, fileName: 'é'.repeat(128) }), 'ValidationError', /fileName is 256 bytes of UTF-8; at most 255/],
    ['a malformed projectID', () => uploadInput({ projectID: 'p1/../p2' }), 'ValidationError', /projectID must be 1 to 64 characters/],
    ['a bad fileType', (projectID) => uploadInput({ projectID, fileType: 'has space' }), 'ValidationError', /fileType must be/],
    ['a bad clientToken', (projectID) => uploadInput({ projectID, clientToken: 'not a token!' }), 'ValidationError', /clientToken must be/],
    ['a malformed contentType', (projectID) => uploadInput({ projectID, contentType: 'pdf' }), 'ValidationError', /contentType is not a valid MIME type/],
    [
      'PNG bytes declared as application/pdf',
      (projectID) => uploadInput({ projectID, contentBase64: PNG_BASE64, contentType: 'application/pdf' }),
      'UnsupportedMediaType',
      /contentType "application\/pdf" does not match the file's content, which is image\/png/,
    ],
    [
      'PDF bytes declared as image/png',
      (projectID) => uploadInput({ projectID, contentBase64: PDF_BYTES.toString('base64'), contentType: 'image/png' }),
      'UnsupportedMediaType',
      /which is application\/pdf/,
    ],
  ];

  it.each(refusals)('refuses %s', async (_case, input, type, message) => {
    const projectID = newProject();

    const outcome = await upload(input(projectID), alice(projectID));

    expect(outcome).toEqual({ error: { type, message: expect.stringMatching(message) } });
    expect(await objectKeys(storage, 'projects/')).not.toContainEqual(expect.stringContaining(projectID));
    expect(await tableRows(storage, projectID)).toEqual([]);
  });

  it('refuses an identity of an auth mode the API does not use (Unauthorized)', async () => {
    const projectID = newProject();

    const outcome = await upload(uploadInput({ projectID }), { resolverContext: {} });

    expect(outcome).toEqual({ error: { type: 'Unauthorized', message: expect.stringContaining('Uploads need a Cognito user-pool token') } });
    expect(await tableRows(storage, projectID)).toEqual([]);
  });
});

describe('upload Lambda: storage failures', () => {
  it('deletes the object again when the metadata write fails, and answers InternalFailure', async () => {
    const projectID = newProject();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = await coldStart({ ...lambdaEnv(storage), FILES_TABLE: 'no-such-table' });

    const outcome = await broken(uploadEvent(uploadInput({ projectID }), alice(projectID)), lambdaContext('req-123'));

    expect(outcome).toEqual({
      error: {
        type: 'InternalFailure',
        message: 'The upload failed unexpectedly and nothing was stored; retry, and report requestId req-123 if it persists.',
      },
    });
    expect(await objectKeys(storage, `projects/${projectID}/`)).toEqual([]);
    expect(await tableRows(storage, projectID)).toEqual([]);
    expect(errors).toHaveBeenCalledWith('uploadFile failed unexpectedly', expect.objectContaining({ requestId: 'req-123' }));
  });

  it('answers InternalFailure, without internals, when its configuration is missing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { FILES_BUCKET: _omitted, ...withoutBucket } = lambdaEnv(storage);
    const misconfigured = await coldStart(withoutBucket);

    const outcome = await misconfigured(uploadEvent(uploadInput()), lambdaContext('req-456'));

    expect(outcome).toEqual({ error: { type: 'InternalFailure', message: expect.stringContaining('requestId req-456') } });
    expect(JSON.stringify(outcome)).not.toMatch(/FILES_BUCKET|\/work|at .*\.m?[jt]s/);
    expect(errors).toHaveBeenCalledWith(
      'uploadFile failed unexpectedly',
      expect.objectContaining({ requestId: 'req-456', error: expect.objectContaining({ message: 'Missing required environment variable FILES_BUCKET' }) }),
    );
  });
});
