/**
 * The local API as an attacker meets it, over real HTTP and WebSocket: bad
 * names, ids and limits, forged or incomplete credentials, other projects'
 * files, protocol abuse. Every case checks the refusal (errorType or status)
 * AND that storage holds exactly what it held before.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortUploadDocument,
  AnnounceFileUploadedDocument,
  CompleteUploadDocument,
  CreateUploadUrlDocument,
  DeleteFileDocument,
  FileDocument,
  FilesByProjectDocument,
  FilesByProjectWithUrlsDocument,
  UploadFileDocument,
} from '../../generated/operations';
import { issuerOf } from '../../local/auth/cognito-tokens';
import { startLocalServer, type LocalServer } from '../../local/server';
import { STATE_FILE, type LocalApiState } from '../../local/state';
import { storageClients } from '../../local/storage/index';
import { bytesOf, graphqlAs, sendFile, ticketInput, type GraphQLCall } from '../support/direct-upload';
import { PNG_BYTES } from '../functions/factories';
import { iamClient, postGraphQL } from '../support/local-server';
import { openRealtime, startMessage, tokenHeader } from '../support/realtime-client';

// Answers are read field by field, as a client would.
type Json = any;

const TRUSTED_ORIGIN = 'http://localhost:5173';
let server: LocalServer;
let dataDir: string;
let state: LocalApiState;
let clients: ReturnType<typeof storageClients>;
let alice: GraphQLCall;
let mallory: GraphQLCall;
let aliceToken: string;
let malloryToken: string;
let apiKey: GraphQLCall;
/** A file of project `p`, uploaded by alice. */
let file: Json;
/** An upload of project `p` alice has started and not completed. */
let ticket: Json;

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'codecraft-files-hostile-'));
  server = await startLocalServer({ port: 0, dataDir, corsOrigins: [TRUSTED_ORIGIN] });
  state = JSON.parse(await readFile(path.join(dataDir, STATE_FILE), 'utf8'));
  clients = storageClients(server.storage);
  aliceToken = await server.signToken({ username: 'alice', groups: ['project-p'] });
  malloryToken = await server.signToken({ username: 'mallory', groups: ['project-other'] });
  alice = graphqlAs(server.graphqlUrl, { authorization: aliceToken });
  mallory = graphqlAs(server.graphqlUrl, { authorization: malloryToken });
  apiKey = graphqlAs(server.graphqlUrl, { 'x-api-key': server.apiKey });
  file = (await sendFile(alice, bytesOf(100), { projectID: 'p', fileName: 'kept.bin' })).completed.body.data.completeUpload;
  const bytes = bytesOf(200, 2);
  ticket = (await alice(CreateUploadUrlDocument, { input: ticketInput(bytes, { projectID: 'p', fileName: 'open.bin' }) })).body.data.createUploadUrl;
});

afterAll(async () => {
  clients?.dynamodb.destroy();
  clients?.s3.destroy();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Every row and every object: what "nothing was written" compares. */
async function storageSnapshot() {
  const rows = await clients.dynamodb.send(new ScanCommand({ TableName: server.storage.tableName, ConsistentRead: true }));
  const objects = await clients.s3.send(new ListObjectsV2Command({ Bucket: server.storage.bucketName }));
  return {
    rows: (rows.Items ?? []).map((item) => `${item.fileID.S}:${item.status?.S}`).sort(),
    objects: (objects.Contents ?? []).map((object) => object.Key).sort(),
  };
}

/** Runs `attempt`, and checks storage is exactly as before it. */
async function leavesStorageAlone<T>(attempt: () => Promise<T>): Promise<T> {
  const before = await storageSnapshot();
  const outcome = await attempt();
  expect(await storageSnapshot()).toEqual(before);
  return outcome;
}

const upload = (call: GraphQLCall, input: Record<string, unknown>) =>
  call(UploadFileDocument, { input: { projectID: 'p', fileName: 'a.txt', fileType: 'txt', contentBase64: b64('hello'), ...input } });

/** A Cognito-shaped token signed with the server's own key, with the claims and header given. */
async function forgedToken(claims: JWTPayload, header: { kid?: string } = { kid: state.signingKey.kid }): Promise<string> {
  const key = await importJWK(state.signingKey.privateJwk as JWK, 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', ...header }).sign(key);
}
const now = () => Math.floor(Date.now() / 1000);
const completeClaims = () => ({
  sub: 'local-eve',
  iss: issuerOf(state.userPool),
  client_id: state.userPool.clientId,
  token_use: 'access',
  username: 'eve',
  'cognito:groups': ['admins'],
  iat: now(),
  exp: now() + 600,
});
const withoutClaim = (name: string) => {
  const claims: Record<string, unknown> = completeClaims();
  delete claims[name];
  return claims;
};

describe('names, ids and limits', () => {
  it.each([
    ['an empty file name', { fileName: '' }, 'ValidationError'],
    ['the file name "."', { fileName: '.' }, 'ValidationError'],
    ['the file name ".."', { fileName: '..' }, 'ValidationError'],
    ['a control character in the name', { fileName: 'a\u0000b.txt' }, 'ValidationError'],
    ['a lone surrogate in the name', { fileName: 'a\ud800.txt' }, 'ValidationError'],
    ['a name over 255 bytes', { fileName: `${'é'.repeat(128)}.txt` }, 'ValidationError'],
    ['a projectID with a path in it', { projectID: '../other' }, 'ValidationError'],
    ['a projectID of 65 characters', { projectID: 'p'.repeat(65) }, 'ValidationError'],
    ['a fileType with a space', { fileType: 'a b' }, 'ValidationError'],
    ['a clientToken with a slash', { clientToken: 'a/b' }, 'ValidationError'],
    ['content that is not base64', { contentBase64: 'aGVsbG8*' }, 'ValidationError'],
    ['empty content', { contentBase64: '' }, 'ValidationError'],
    ['content over the inline limit', { contentBase64: 'A'.repeat(900_004) }, 'PayloadTooLarge'],
    ['a content type that is not a MIME type', { contentType: 'not a type' }, 'ValidationError'],
    ['text declared image/png', { contentType: 'image/png' }, 'UnsupportedMediaType'],
    ['PNG bytes declared application/pdf', { contentBase64: b64(PNG_BYTES), contentType: 'application/pdf' }, 'UnsupportedMediaType'],
  ])('uploadFile refuses %s', async (_case, input, errorType) => {
    const { body } = await leavesStorageAlone(() => upload(apiKey, input));

    expect(body.data).toBeNull();
    expect(body.errors).toEqual([expect.objectContaining({ errorType, path: ['uploadFile'] })]);
  });

  it.each([
    ['the name ".."', { fileName: '..' }],
    ['a size of 0', { size: 0 }],
    ['a SHA-256 that is not hex', { sha256: 'z'.repeat(64) }],
  ])('createUploadUrl refuses %s', async (_case, override) => {
    const input = { ...ticketInput(bytesOf(10), { projectID: 'p', fileName: 'x.bin' }), ...override };
    const { body } = await leavesStorageAlone(() => alice(CreateUploadUrlDocument, { input }));

    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'ValidationError' })]);
  });
});

describe('tokens and signatures', () => {
  const post = (headers: Record<string, string>) =>
    leavesStorageAlone(() =>
      postGraphQL(
        server.graphqlUrl,
        { query: UploadFileDocument.toString(), variables: { input: { projectID: 'p', fileName: 'a.txt', fileType: 'txt', contentBase64: b64('x') } } },
        headers,
      ),
    );

  it.each([
    ['no credentials', async () => ({})],
    ['a wrong API key', async () => ({ 'x-api-key': 'da2-notthekeyofthisapi0000000' })],
    ['an expired token', async () => ({ authorization: await server.signToken({ username: 'eve', groups: ['admins'], expiresIn: -60 }) })],
    ['a token without exp', () => forgedToken(withoutClaim('exp')).then((t) => ({ authorization: t }))],
    ['a token without iat', () => forgedToken(withoutClaim('iat')).then((t) => ({ authorization: t }))],
    ['a token without token_use', () => forgedToken(withoutClaim('token_use')).then((t) => ({ authorization: t }))],
    ['a token without kid', () => forgedToken(completeClaims(), {}).then((t) => ({ authorization: t }))],
    ['a token for another app client', () => forgedToken({ ...completeClaims(), client_id: 'someone-else' }).then((t) => ({ authorization: t }))],
    ['an unsigned token (alg none)', async () => ({ authorization: `${b64('{"alg":"none"}')}.${b64(JSON.stringify(completeClaims()))}.` })],
    ["SigV4 with s3rver's well-known S3RVER key", async () => signedHeaders({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' })],
    ['SigV4 that does not sign host', async () => signedHeaders(server.storage.credentials, { omitHost: true })],
    [
      'SigV4 whose SignedHeaders leave out x-amz-date',
      async () => ({
        authorization: `AWS4-HMAC-SHA256 Credential=${server.storage.credentials.accessKeyId}/20260101/us-east-1/appsync/aws4_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`,
        'x-amz-date': amzDate(),
      }),
    ],
  ])('refuses %s with 401 UnauthorizedException', async (_case, headers) => {
    const { status, body } = await post(await headers());

    expect(status).toBe(401);
    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'UnauthorizedException' })]);
  });

  it("signs IAM calls with the data directory's own key pair, kept beside the API key and shared through endpoints.json", async () => {
    expect(server.storage.credentials).toMatchObject(state.iamCredentials);
    expect(state.iamCredentials.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    const iam = iamClient(server.graphqlUrl, server.storage.region, state.iamCredentials);

    const announced = await iam({ query: AnnounceFileUploadedDocument.toString(), variables: { fileID: file.fileID } });

    expect(announced.body.data.announceFileUploaded.fileID).toBe(file.fileID);
    // The data directory and its keys are its owner's alone.
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dataDir, STATE_FILE))).mode & 0o777).toBe(0o600);
  });
});

const amzDate = () => new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');

async function signedHeaders(credentials: { accessKeyId: string; secretAccessKey: string }, options: { omitHost?: boolean } = {}) {
  const url = new URL(server.graphqlUrl);
  const body = JSON.stringify({ query: '{ __typename }' });
  const signer = new SignatureV4({ service: 'appsync', region: server.storage.region, credentials, sha256: Hash.bind(null, 'sha256') });
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.omitHost ? {} : { host: url.host }) };
  const signed = await signer.sign(
    new HttpRequest({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, headers, body }),
  );
  return signed.headers as Record<string, string>;
}

describe("other projects' files", () => {
  it('file(fileID) answers an outsider exactly as for a file that does not exist', async () => {
    const outsider = await leavesStorageAlone(() => mallory(FileDocument, { fileID: file.fileID }));
    const missing = await mallory(FileDocument, { fileID: '00000000-0000-4000-8000-000000000000' });

    expect(outsider.body).toEqual({ data: { file: null } });
    expect(outsider.body).toEqual(missing.body);
  });

  it.each([
    ['filesByProject', () => mallory(FilesByProjectDocument, { projectID: 'p' }), 'Unauthorized'],
    ['filesByProject with download URLs', () => mallory(FilesByProjectWithUrlsDocument, { projectID: 'p' }), 'Unauthorized'],
    ['uploadFile', () => upload(mallory, {}), 'Unauthorized'],
    ['createUploadUrl', () => mallory(CreateUploadUrlDocument, { input: ticketInput(bytesOf(10), { projectID: 'p', fileName: 'm.bin' }) }), 'Unauthorized'],
    ['deleteFile', () => mallory(DeleteFileDocument, { fileID: file.fileID }), 'NotFound'],
    ['completeUpload', () => mallory(CompleteUploadDocument, { input: { fileID: ticket.fileID } }), 'NotFound'],
    ['abortUpload', () => mallory(AbortUploadDocument, { fileID: ticket.fileID }), 'NotFound'],
    ['announceFileUploaded (IAM only)', () => alice(AnnounceFileUploadedDocument, { fileID: file.fileID }), 'Unauthorized'],
  ])('%s by an outsider is refused', async (_case, attempt, errorType) => {
    const { body } = await leavesStorageAlone(attempt);

    expect(body.errors).toEqual([expect.objectContaining({ errorType })]);
    expect(JSON.stringify(body)).not.toContain('kept.bin');
  });

  it('deleteFile and completeUpload tell an outsider nothing a missing fileID would not', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const [deleteOther, deleteMissing] = await Promise.all([
      mallory(DeleteFileDocument, { fileID: file.fileID }),
      mallory(DeleteFileDocument, { fileID: missing }),
    ]);
    const [completeOther, completeMissing] = await Promise.all([
      mallory(CompleteUploadDocument, { input: { fileID: ticket.fileID } }),
      mallory(CompleteUploadDocument, { input: { fileID: missing } }),
    ]);

    const shape = (body: Json, fileID: string) => JSON.stringify(body).replaceAll(fileID, '<fileID>');
    expect(shape(deleteOther.body, file.fileID)).toBe(shape(deleteMissing.body, missing));
    expect(shape(completeOther.body, ticket.fileID)).toBe(shape(completeMissing.body, missing));
  });
});

describe('subscriptions', () => {
  const subscribe = async (query: string, variables: Record<string, unknown> = { projectID: 'p' }) => {
    const auth = tokenHeader(server.graphqlUrl, malloryToken);
    const session = await openRealtime(server.realtimeUrl, auth);
    session.send({ type: 'connection_init' });
    await session.next((frame) => frame.type === 'connection_ack');
    const before = server.activeSubscriptions();
    session.send(startMessage('s1', { query, variables }, auth));
    const answer = await session.next((frame) => frame.id === 's1');
    const registered = server.activeSubscriptions() - before;
    session.close();
    return { answer, registered };
  };

  it.each([
    ['onFileUploaded', 'subscription ($projectID: ID!) { onFileUploaded(projectID: $projectID) { fileID } }', 'Unauthorized'],
    ['onFileDeleted', 'subscription ($projectID: ID!) { onFileDeleted(projectID: $projectID) { fileID } }', 'Unauthorized'],
    ['@skip(if: true) on the field', 'subscription ($projectID: ID!) { onFileUploaded(projectID: $projectID) @skip(if: true) { fileID } }', 'ValidationError'],
    [
      '@include(if: false) on the field',
      'subscription ($projectID: ID!) { onFileUploaded(projectID: $projectID) @include(if: false) { fileID } }',
      'ValidationError',
    ],
    [
      '@skip on an inline fragment around the field',
      'subscription ($projectID: ID!) { ... @skip(if: true) { onFileUploaded(projectID: $projectID) { fileID } } }',
      'ValidationError',
    ],
    [
      '@include(if: false) on a fragment spread',
      'subscription ($projectID: ID!) { ...F @include(if: false) } fragment F on Subscription { onFileUploaded(projectID: $projectID) { fileID } }',
      'ValidationError',
    ],
    [
      'a skipped field beside one it may subscribe to',
      'subscription ($projectID: ID!) { ... on Subscription @skip(if: true) { a: onFileUploaded(projectID: $projectID) { fileID } } onFileUploaded(projectID: "other") { fileID } }',
      'ValidationError',
    ],
    [
      '@include driven by a variable',
      'subscription ($projectID: ID!, $on: Boolean = true) { onFileUploaded(projectID: $projectID) @include(if: $on) { fileID } }',
      'ValidationError',
    ],
  ])("an outsider's %s is refused and never registered", async (_case, query, errorType) => {
    const { answer, registered } = await subscribe(query);

    expect(answer).toMatchObject({ type: 'error', payload: { errors: [expect.objectContaining({ errorType })] } });
    expect(registered).toBe(0);
  });
});

describe('POST /upload', () => {
  const postUpload = (body: string, headers: Record<string, string> = {}) =>
    leavesStorageAlone(async () => {
      const response = await fetch(server.restUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      return { status: response.status, body: (await response.json()) as Json };
    });
  const legacy = (fields: Record<string, unknown> = {}) =>
    JSON.stringify({ file_content: b64('hi'), file_name: 'a.txt', project_id: 'p', file_type: 'txt', ...fields });

  it.each([
    ['no token, with a body over the limit: refused before the body is read', () => postUpload('x'.repeat(11 * 1024 * 1024)), 401, 'UnauthorizedException'],
    ['an API key (the REST endpoint takes user-pool tokens only)', () => postUpload(legacy(), { 'x-api-key': server.apiKey }), 401, 'UnauthorizedException'],
    ['an outsider', () => postUpload(legacy(), { authorization: `Bearer ${malloryToken}` }), 403, 'Unauthorized'],
    ['a body over 10 MB', () => postUpload('x'.repeat(11 * 1024 * 1024), { authorization: `Bearer ${aliceToken}` }), 413, 'PayloadTooLarge'],
    ['a body that is not JSON', () => postUpload('{', { authorization: `Bearer ${aliceToken}` }), 400, 'ValidationError'],
    ['the file name ".."', () => postUpload(legacy({ file_name: '..' }), { authorization: `Bearer ${aliceToken}` }), 400, 'ValidationError'],
  ])('refuses %s', async (_case, attempt, status, errorType) => {
    const response = await attempt();

    expect(response.status).toBe(status);
    expect(response.body.errorType).toBe(errorType);
  });
});

describe('protocol abuse', () => {
  it('refuses more aliased resolvers than AppSync runs in one request, before running any', async () => {
    const aliases = Array.from({ length: 10_001 }, (_, i) => `f${i}: file(fileID: "${file.fileID}") { fileID }`).join(' ');

    const { status, body } = await leavesStorageAlone(() => postGraphQL(server.graphqlUrl, { query: `{ ${aliases} }` }, { 'x-api-key': server.apiKey }));

    expect(status).toBe(200);
    expect(body).toEqual({ errors: [expect.objectContaining({ errorType: 'ResolverExecutionLimitReached', message: 'Resolver invocation limit reached.' })] });
  });

  it('measures a fragment that is spread again and again once: a doubling fragment chain is refused at once, not walked 2^40 times', async () => {
    const chain = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const query = `query { ...F0 } ${chain} fragment F40 on Query { file(fileID: "x") { fileID } }`;

    const { body } = await postGraphQL(server.graphqlUrl, { query }, { 'x-api-key': server.apiKey });

    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'ResolverExecutionLimitReached' })]);
  });

  it('refuses a request selecting more fields than the server answers at once, resolvers or not (aliased introspection)', async () => {
    const aliases = Array.from({ length: 5_000 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ');

    const { body } = await postGraphQL(server.graphqlUrl, { query: `{ ${aliases} }` }, { 'x-api-key': server.apiKey });

    expect(body).toEqual({ errors: [expect.objectContaining({ errorType: 'QueryTooLarge' })] });
  });

  it('refuses a query nested deeper than the limit', async () => {
    const nested = `{ __schema { types { fields { type ${'{ ofType '.repeat(20)}{ name }${' }'.repeat(20)} } } } }`;

    const { body } = await postGraphQL(server.graphqlUrl, { query: nested }, { 'x-api-key': server.apiKey });

    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'QueryDepthLimitReached' })]);
  });

  it('refuses a GraphQL body over 1 MB with 413', async () => {
    const { status, body } = await leavesStorageAlone(() =>
      postGraphQL(server.graphqlUrl, { query: '{ __typename }', variables: { pad: 'x'.repeat(1_048_576) } }, { 'x-api-key': server.apiKey }),
    );

    expect(status).toBe(413);
    expect(body.errors[0].errorType).toBe('PayloadTooLarge');
  });

  it('refuses a request addressed to another host name with 421', async () => {
    // fetch always sends the URL's own host: a plain request names another, as a DNS-rebinding page's would.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = http.request(
        server.graphqlUrl,
        { method: 'POST', headers: { host: 'attacker.example', 'x-api-key': server.apiKey, 'content-type': 'application/json' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      request.on('error', reject).end('{"query":"{ __typename }"}');
    });

    expect(status).toBe(421);
  });

  it('lets a configured origin send tokens, and any other origin only API keys', async () => {
    const preflight = (origin: string) =>
      fetch(server.graphqlUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    const [configured, foreign] = await Promise.all([preflight(TRUSTED_ORIGIN), preflight('https://attacker.example')]);

    expect([configured.headers.get('access-control-allow-origin'), configured.headers.get('access-control-allow-headers')]).toEqual([
      TRUSTED_ORIGIN,
      expect.stringContaining('authorization'),
    ]);
    expect([foreign.headers.get('access-control-allow-origin'), foreign.headers.get('access-control-allow-headers')]).toEqual([
      '*',
      'content-type, x-api-key, x-amz-user-agent',
    ]);
  });

  it('never lets a foreign page read an answer to a request carrying a token', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { origin: 'https://attacker.example', authorization: aliceToken, 'content-type': 'application/json' },
      body: JSON.stringify({ query: FilesByProjectDocument.toString(), variables: { projectID: 'p' } }),
    });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("refuses the embedded S3 requests signed with s3rver's well-known key, V4 or V2", async () => {
    const key = `${file.s3Key}`;
    const v4 = await signedS3Get(key, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    const v2 = await fetch(`${server.storage.s3Endpoint}/${server.storage.bucketName}/${key}`, {
      headers: { authorization: 'AWS S3RVER:c2lnbmF0dXJl', date: new Date().toUTCString() },
    });

    expect(v4.status).toBe(403);
    expect(await v4.text()).toContain('<Code>InvalidAccessKeyId</Code>');
    expect(v2.status).toBe(400);
    expect(await v2.text()).toContain('Please use AWS4-HMAC-SHA256');
  });
});

describe('the embedded DynamoDB', () => {
  const scan = (headers: Record<string, string>) =>
    fetch(server.storage.dynamodbEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Scan', ...headers },
      body: JSON.stringify({ TableName: server.storage.tableName }),
    });

  it.each([
    [
      'a web page (Origin), even with a signature-shaped header',
      {
        origin: 'https://attacker.example',
        authorization: `AWS4-HMAC-SHA256 Credential=x/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      },
      403,
    ],
    ['no signature', {}, 400],
    [
      'a signature by another key',
      {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAOTHERKEY00000000/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': amzDate(),
      },
      400,
    ],
  ])('refuses %s, answering no row and no CORS', async (_case, headers, status) => {
    const response = await scan(headers);
    const text = await response.text();

    expect(response.status).toBe(status);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(text).not.toContain('"Items"');
  });
});

async function signedS3Get(key: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const url = new URL(`${server.storage.s3Endpoint}/${server.storage.bucketName}/${key.split('/').map(encodeURIComponent).join('/')}`);
  const signer = new SignatureV4({ service: 's3', region: server.storage.region, credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    }),
  );
  return fetch(url, { headers: signed.headers });
}

describe('content that would run', () => {
  it.each([
    ['<script> declared text/html', '<script>alert(document.domain)</script>', 'text/html', 'page.html'],
    ['<script> declared image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'image/svg+xml', 'logo.svg'],
    ['JavaScript undeclared, named .js', 'alert(1)', undefined, 'app.js'],
  ])('stores %s as application/octet-stream', async (_case, content, contentType, fileName) => {
    const { body } = await upload(alice, { contentBase64: b64(content), fileName, ...(contentType ? { contentType } : {}) });

    expect(body.data.uploadFile.contentType).toBe('application/octet-stream');
  });

  it('names undeclared text by its extension', async () => {
    const { body } = await upload(alice, { contentBase64: b64('a,b\n1,2\n'), fileName: 'table.csv' });

    expect(body.data.uploadFile.contentType).toBe('text/csv');
  });
});
