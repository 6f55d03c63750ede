import { originTrust } from '../../local/http/cors';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import { fileRow, seedRows } from '../support/file-rows';
import { storageClients } from '../../local/storage/index';
import { iamClient, postGraphQL, useLocalServer } from '../support/local-server';

const local = useLocalServer();
const listQuery = { query: 'query List($p: ID!) { filesByProject(projectID: $p) { items { fileID fileName } nextToken } }', variables: { p: 'web' } };
const unauthorized = (message: string) => ({
  errors: [{ path: null, data: null, errorType: 'UnauthorizedException', errorInfo: null, locations: null, message }],
});

describe('POST /graphql', () => {
  it('answers an API-key caller with data, __typename included', async () => {
    const { server } = local;
    const row = fileRow('web', '2026-05-01T00:00:00.000Z');
    await seedRows({ storage: { ...server.storage, close: async () => {} }, clients: storageClients(server.storage) }, [row]);

    const response = await postGraphQL(
      server.graphqlUrl,
      { ...listQuery, query: listQuery.query.replace('nextToken }', 'nextToken __typename }') },
      { 'X-Api-Key': server.apiKey },
    );

    expect(response).toEqual({
      status: 200,
      body: { data: { filesByProject: { items: [{ fileID: row.fileID, fileName: row.fileName }], nextToken: null, __typename: 'FileConnection' } } },
    });
  });

  it.each([
    ['a wrong API key', { 'x-api-key': 'da2-wrong' }, 'You are not authorized to make this call: the x-api-key is not a key of this API.'],
    ['no credentials', {}, 'Missing authorization header: send x-api-key, or a user-pool token in authorization.'],
    [
      'a malformed SigV4 header',
      { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/appsync/aws4_request' },
      'The SigV4 authorization header is malformed.',
    ],
  ])('refuses %s with 401 UnauthorizedException', async (_what, headers, message) => {
    expect(await postGraphQL(local.server.graphqlUrl, listQuery, headers)).toEqual({ status: 401, body: unauthorized(message) });
  });

  it('accepts an IAM caller signing with the local account credentials, and serves it IAM-only fields', async () => {
    const { server } = local;
    const row = fileRow('web', '2026-05-02T00:00:00.000Z');
    await seedRows({ storage: { ...server.storage, close: async () => {} }, clients: storageClients(server.storage) }, [row]);
    const call = iamClient(server.graphqlUrl, server.storage.region, server.storage.credentials);

    const response = await call({ query: 'mutation A($id: ID!) { announceFileUploaded(fileID: $id) { fileID projectID } }', variables: { id: row.fileID } });

    expect(response).toEqual({ status: 200, body: { data: { announceFileUploaded: { fileID: row.fileID, projectID: 'web' } } } });
  });

  it('refuses a SigV4 signature made with another secret key', async () => {
    const { server } = local;
    const call = iamClient(server.graphqlUrl, server.storage.region, { ...server.storage.credentials, secretAccessKey: 'not-the-secret' });

    expect(await call(listQuery)).toEqual({
      status: 401,
      body: unauthorized('The request signature we calculated does not match the signature you provided.'),
    });
  });

  it('refuses a valid signature made for another service or region', async () => {
    const { server } = local;
    const s3Signed = iamClient(server.graphqlUrl, server.storage.region, server.storage.credentials, 's3');
    const otherRegion = iamClient(server.graphqlUrl, 'eu-west-9', server.storage.credentials);

    expect(await s3Signed(listQuery)).toEqual({
      status: 401,
      body: unauthorized(
        `Credential should be scoped to a valid region and to the service appsync: this endpoint is in ${server.storage.region}; the request was signed for s3 in ${server.storage.region}.`,
      ),
    });
    expect((await otherRegion(listQuery)).status).toBe(401);
  });

  it('refuses an API key of other characters, even multi-byte ones, with 401 (never a 500)', async () => {
    expect(await postGraphQL(local.server.graphqlUrl, listQuery, { 'x-api-key': 'é'.repeat(31) })).toEqual({
      status: 401,
      body: unauthorized('You are not authorized to make this call: the x-api-key is not a key of this API.'),
    });
  });

  it('refuses an API-key caller on an IAM-only field with Unauthorized', async () => {
    const response = await postGraphQL(
      local.server.graphqlUrl,
      { query: 'mutation { announceFileUploaded(fileID: "f1") { fileID } }' },
      { 'x-api-key': local.server.apiKey },
    );

    expect(response.status).toBe(200);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        errorType: 'Unauthorized',
        message: 'Not Authorized to access announceFileUploaded on type Mutation',
        path: ['announceFileUploaded'],
      }),
    ]);
  });

  it('refuses an expired user-pool token', async () => {
    const token = await local.server.signToken({ username: 'alice', groups: ['project-web'], expiresIn: -60 });

    expect(await postGraphQL(local.server.graphqlUrl, listQuery, { authorization: token })).toEqual({ status: 401, body: unauthorized('Token has expired.') });
  });

  it('refuses a token signed by another key, even with the right issuer and kid', async () => {
    const { server } = local;
    const genuine = await server.signToken({ username: 'alice', groups: ['admins'] });
    const header = JSON.parse(Buffer.from(genuine.split('.')[0], 'base64url').toString());
    const claims = JSON.parse(Buffer.from(genuine.split('.')[1], 'base64url').toString());
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims).setProtectedHeader(header).sign(privateKey);

    expect(await postGraphQL(server.graphqlUrl, listQuery, { authorization: forged })).toEqual({
      status: 401,
      body: unauthorized('Valid authorization header not provided: the token is not a user-pool token of this API.'),
    });
  });

  it.each([['access'], ['id']] as const)('accepts a user-pool %s token, raw or as Bearer', async (tokenUse) => {
    const token = await local.server.signToken({ username: 'alice', groups: ['project-web'], tokenUse });

    for (const authorization of [token, `Bearer ${token}`]) {
      const response = await postGraphQL(local.server.graphqlUrl, listQuery, { authorization });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    }
  });

  it("gives a user outside the project the resolver's Unauthorized error, with AppSync's error shape", async () => {
    const token = await local.server.signToken({ username: 'mallory', groups: ['project-other'] });

    expect(await postGraphQL(local.server.graphqlUrl, listQuery, { authorization: token })).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            path: ['filesByProject'],
            data: null,
            errorType: 'Unauthorized',
            errorInfo: null,
            locations: [{ line: 1, column: 23, sourceName: null }],
            message: 'Not authorized for project web: the token\'s cognito:groups must include "project-web" or "admins".',
          },
        ],
      },
    });
  });

  it('reports GraphQL validation errors with an errorType', async () => {
    const response = await postGraphQL(local.server.graphqlUrl, { query: '{ filesByProject { items { nope } } }' }, { 'x-api-key': local.server.apiKey });

    expect(response.status).toBe(200);
    expect(response.body.errors.map((e: { errorType: string; message: string }) => [e.errorType, e.message])).toEqual([
      ['ValidationError', 'Cannot query field "nope" on type "File".'],
      ['ValidationError', 'Field "filesByProject" argument "projectID" of type "ID!" is required, but it was not provided.'],
    ]);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const response = await fetch(local.server.graphqlUrl, { method: 'POST', headers: { 'x-api-key': local.server.apiKey }, body: '{nope' });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: unknown[] }).errors[0]).toMatchObject({ errorType: 'MalformedHttpRequestException' });
  });

  it('answers CORS preflights from its own pages with the headers AppSync clients send, tokens and SigV4 included', async () => {
    const ownOrigin = new URL(local.server.graphqlUrl).origin;
    const response = await fetch(local.server.graphqlUrl, { method: 'OPTIONS', headers: { origin: ownOrigin, 'access-control-request-method': 'POST' } });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ownOrigin);
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'content-type, x-api-key, x-amz-user-agent, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256',
    );
  });

  it('lets any other origin make API-key calls only: its preflight does not allow authorization', async () => {
    const response = await fetch(local.server.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, x-api-key, x-amz-user-agent');
  });
});

describe('originTrust', () => {
  const trust = (port: number) => originTrust(new Set(['localhost', '127.0.0.1', '::1']), () => port, ['http://localhost:5173']);

  it.each([
    ['http://localhost:4000', 4000, true],
    ['https://127.0.0.1:4000', 4000, true],
    ['http://[::1]:4000', 4000, true],
    ['http://LOCALHOST:4000', 4000, true],
    ['http://localhost', 80, true],
    ['https://localhost', 443, true],
    ['http://localhost:5173', 4000, true],
    ['http://localhost:4001', 4000, false],
    ['http://localhost', 4000, false],
    ['http://127.0.0.1:4000.evil.example', 4000, false],
    ['http://evil.example:4000', 4000, false],
    ['null', 4000, false],
    ['file://localhost', 4000, false],
  ])('%s (server on port %i): %s', (origin, port, expected) => {
    expect(trust(port)(origin)).toBe(expected);
  });
});
