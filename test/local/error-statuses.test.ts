/**
 * Refusals end to end, as a client meets them over real HTTP with real
 * tokens: POST /upload's statuses (409 and 500 here; 400, 403, 413 and 415 in
 * rest-upload.test.ts; the upload raises no NotFound, so 404 is seen only as
 * GraphQL's NotFound), GraphQL's error shape, the two request-body limits at
 * their boundaries, and an announcement that cannot reach the API. Faults are
 * real: the S3 under the API is stopped, the announcement goes to a closed port.
 */
import { once } from 'node:events';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeleteFileDocument, FilesByProjectDocument, UploadFileDocument } from '../../generated/operations';
import { startLocalServer, type LocalServer } from '../../local/server';
import { objectKeys, readObject, tableRows } from '../functions/factories';
import { bytesOf, graphqlAs, type GraphQLCall } from '../support/direct-upload';
import { restUpload } from '../support/local-server';
import { startStoppableStorage, type StoppableStorage } from '../support/stoppable-storage';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
let storage: StoppableStorage;
let server: LocalServer;
let alice: GraphQLCall;
let bearer: Record<string, string>;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const b64 = (bytes: string | Buffer) => Buffer.from(bytes).toString('base64');
const legacy = (projectID: string, fields: Record<string, unknown> = {}) => ({
  file_content: b64('hello'),
  file_name: 'a.txt',
  project_id: projectID,
  file_type: 'txt',
  ...fields,
});
const upload = (input: Record<string, unknown>) =>
  alice(UploadFileDocument, { input: { fileName: 'a.txt', fileType: 'txt', contentBase64: b64('hello'), ...input } });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

beforeAll(async () => {
  storage = await startStoppableStorage(await tempDir('statuses-s3'), 'statuses-files');
  // Every announcement of this file's POST /upload finds AppSync unreachable (only a stored file is announced, so only one test waits on it).
  server = await startLocalServer({ port: 0, storage: storage.location, announceUrl: `http://127.0.0.1:${await closedPort()}/graphql` });
  const token = await server.signToken({ username: 'alice', groups: ['project-s'] });
  alice = graphqlAs(server.graphqlUrl, { authorization: token });
  bearer = { authorization: `Bearer ${token}` };
  // The Lambda bundles load at their first call, seconds on a busy machine: here, within the hook's time, not a test's.
  // Both calls are refused by the Lambdas' own checks and store nothing.
  await Promise.all([upload({ projectID: 's', contentBase64: '' }), restUpload(server.restUrl, '{', bearer)]);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await server?.close();
  await storage?.close();
});

describe('request bodies at their limits', () => {
  const postGraphQLText = (body: string) =>
    fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey }, body }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
  /** A `{ __typename }` request padded to exactly `bytes`. */
  const graphqlOf = (bytes: number) => {
    const empty = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
    return JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(bytes - empty.length) } });
  };

  it('POST /graphql runs a body of exactly 1 MB and refuses one byte more with 413', async () => {
    const [atLimit, over] = [graphqlOf(1_048_576), graphqlOf(1_048_577)];
    expect([atLimit.length, over.length]).toEqual([1_048_576, 1_048_577]);

    expect(await postGraphQLText(atLimit)).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    expect(await postGraphQLText(over)).toEqual({
      status: 413,
      body: {
        errors: [
          {
            path: null,
            data: null,
            errorType: 'PayloadTooLarge',
            errorInfo: null,
            locations: null,
            message: "The request is over AppSync's 1 MB limit (1048576 bytes).",
          },
        ],
      },
    });
  });

  it('POST /graphql refuses a chunked body (no declared length) once it passes 1 MB: 413, and the connection is closed rather than the rest read', async () => {
    const { port } = new URL(server.graphqlUrl);
    const answer = await new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: { 'x-api-key': server.apiKey, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      });
      req.on('error', reject);
      // 1.5 MB in 64 KiB chunks, and never an end: only the server's refusal finishes the exchange.
      for (let sent = 0; sent < 1_572_864; sent += 65_536) req.write(Buffer.alloc(65_536, 'x'));
    });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body).errors[0].errorType).toBe('PayloadTooLarge');
  });

  it('uploadFile takes 675,000 bytes inline, within that 1 MB, and refuses one byte more with PayloadTooLarge', async () => {
    const accepted = await upload({ projectID: 's', fileName: 'inline.bin', contentBase64: b64(bytesOf(675_000)) });
    const refused = await upload({ projectID: 's', fileName: 'over.bin', contentBase64: b64(bytesOf(675_001)) });

    expect(accepted.body.data.uploadFile.size).toBe(675_000);
    expect(refused.body.errors).toEqual([expect.objectContaining({ errorType: 'PayloadTooLarge', message: expect.stringContaining('900,004 characters') })]);
  });

  it('POST /upload hands a body of exactly 10 MB to the Lambda and refuses one byte more at the gateway', async () => {
    /** A legacy payload of exactly `bytes`, too large for the Lambda, which says so in its own words. */
    const restOf = (bytes: number) => {
      const empty = JSON.stringify(legacy('s', { file_content: '' }));
      return JSON.stringify(legacy('s', { file_content: 'A'.repeat(bytes - empty.length) }));
    };

    const atLimit = await restUpload(server.restUrl, restOf(10 * 1024 * 1024), bearer);
    const over = await restUpload(server.restUrl, restOf(10 * 1024 * 1024 + 1), bearer);

    expect(atLimit).toEqual({
      status: 413,
      body: {
        errorType: 'PayloadTooLarge',
        message: expect.stringMatching(/^file_content is 10,485,6\d\d characters; POST \/upload accepts at most 6,000,000/),
      },
    });
    expect(over).toEqual({ status: 413, body: { errorType: 'PayloadTooLarge', message: 'The request is over the 10 MB an HTTP API accepts.' } });
  });
});

describe('Conflict and NotFound', () => {
  it('POST /upload answers 409 Conflict to a client_token reused for other content, and keeps the first file alone', async () => {
    const first = await upload({ projectID: 's', fileName: 'first.txt', clientToken: 'reused', contentBase64: b64('first') });
    const { fileID, s3Key } = first.body.data.uploadFile;

    const response = await restUpload(server.restUrl, legacy('s', { client_token: 'reused', file_content: b64('second') }), bearer);

    expect(response).toEqual({
      status: 409,
      body: {
        errorType: 'Conflict',
        message: `clientToken "reused" was already used for different content (file ${fileID}). Use a new clientToken for a new file.`,
      },
    });
    expect(await objectKeys(storage.fixture, `projects/s/${fileID}/`)).toEqual([s3Key]);
  });

  it.each([
    [
      'NotFound, for deleteFile of a missing file',
      () => alice(DeleteFileDocument, { fileID: '00000000-0000-4000-8000-000000000000' }),
      'deleteFile',
      'NotFound',
      'No file has fileID 00000000-0000-4000-8000-000000000000: it may have been deleted already.',
    ],
    [
      'Conflict, for uploadFile reusing a clientToken for other content',
      () => upload({ projectID: 's', clientToken: 'reused', contentBase64: b64('third') }),
      'uploadFile',
      'Conflict',
      expect.stringMatching(/^clientToken "reused" was already used for different content/),
    ],
  ])('GraphQL answers %s with 200 and the AppSync error shape', async (_case, attempt, field, errorType, message) => {
    const { status, body } = await attempt();

    expect(status).toBe(200);
    expect(body).toEqual({
      data: null,
      errors: [
        {
          path: [field],
          data: null,
          errorType,
          errorInfo: null,
          locations: [{ line: expect.any(Number), column: expect.any(Number), sourceName: null }],
          message,
        },
      ],
    });
  });
});

describe('an announcement that cannot reach the API', () => {
  it('POST /upload still answers 200 with the stored file once every attempt has failed, and the file is listed', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});

    const response = await restUpload(server.restUrl, legacy('s', { file_name: 'unannounced.txt', file_content: b64('unannounced') }), bearer);

    expect(response).toEqual({ status: 200, body: { message: 'File uploaded successfully', file: expect.objectContaining({ fileName: 'unannounced.txt' }) } });
    const { fileID, s3Key } = response.body.file;
    expect(logged).toHaveBeenCalledWith(
      'rest-upload: the file is stored but announceFileUploaded failed',
      expect.objectContaining({ fileID, error: expect.objectContaining({ message: 'fetch failed' }) }),
    );
    expect((await readObject(storage.fixture, s3Key)).bytes.toString()).toBe('unannounced');
    const listed = await alice(FilesByProjectDocument, { projectID: 's' });
    expect(listed.body.data.filesByProject.items.map((file: { fileID: string }) => file.fileID)).toContain(fileID);
  });
});

// Last: the S3 stays stopped.
describe('storage gone', () => {
  it('POST /upload answers 500 InternalFailure and GraphQL its InternalFailure error, with a requestId, and nothing is written', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const rowsBefore = await tableRows(storage.fixture, 's');
    await storage.stopS3();

    const rest = await restUpload(server.restUrl, legacy('s', { file_name: 'lost.txt' }), bearer);
    const graphql = await upload({ projectID: 's', fileName: 'lost.txt' });

    const failure = new RegExp(`^The upload failed unexpectedly and nothing was stored; retry, and report requestId ${UUID} if it persists\\.$`);
    expect(rest).toEqual({ status: 500, body: { errorType: 'InternalFailure', message: expect.stringMatching(failure) } });
    expect(graphql.status).toBe(200);
    expect(graphql.body).toEqual({
      data: null,
      errors: [
        {
          path: ['uploadFile'],
          data: null,
          errorType: 'InternalFailure',
          errorInfo: null,
          locations: [expect.any(Object)],
          message: expect.stringMatching(failure),
        },
      ],
    });
    expect(await tableRows(storage.fixture, 's')).toEqual(rowsBefore);
  });
});
