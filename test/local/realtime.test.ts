import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { postGraphQL, useLocalServer } from '../support/local-server';
import { apiKeyHeader, openRealtime, startMessage, tokenHeader, type RealtimeSession } from '../support/realtime-client';

const local = useLocalServer({ keepAliveMs: 200 });

const subscription = (projectID: string, selection = 'fileID projectID fileName') => ({
  query: `subscription S($p: ID!) { onFileUploaded(projectID: $p) { ${selection} } }`,
  variables: { p: projectID },
});

const uploadMutation = (projectID: string, fileName: string, selection = 'fileID projectID fileName size') => ({
  query: `mutation U($in: UploadFileInput!) { uploadFile(input: $in) { ${selection} } }`,
  variables: { in: { projectID, fileName, fileType: 'text', contentBase64: Buffer.from(`${fileName} body`).toString('base64') } },
});

const sessions: RealtimeSession[] = [];
async function connect(header: object, options?: Parameters<typeof openRealtime>[2]) {
  const session = await openRealtime(local.server.realtimeUrl, header, options);
  sessions.push(session);
  return session;
}
afterEach(() => {
  for (const session of sessions.splice(0)) session.close();
});

async function acknowledged(header: object = apiKeyHeader(local.server.graphqlUrl, local.server.apiKey), options?: Parameters<typeof openRealtime>[2]) {
  const session = await connect(header, options);
  session.send({ type: 'connection_init' });
  expect(await session.next()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } });
  return session;
}

async function subscribed(session: RealtimeSession, id: string, request: { query: string; variables?: Record<string, unknown> }, authorization: object) {
  session.send(startMessage(id, request, authorization));
  expect(await session.next()).toEqual({ type: 'start_ack', id });
}

describe('the real-time endpoint', () => {
  it('selects graphql-ws and acknowledges a connection authorized by the header- subprotocol', async () => {
    const session = await acknowledged();

    expect(session.protocol).toBe('graphql-ws');
  });

  it('accepts the legacy ?header= query string, read raw so base64 "+" survives', async () => {
    // An API key whose base64 header contains "+": the query value must not be form-decoded.
    const header = { ...apiKeyHeader(local.server.graphqlUrl, local.server.apiKey), pad: '>>>' };
    expect(Buffer.from(JSON.stringify(header)).toString('base64')).toContain('+');

    await acknowledged(header, { legacyQueryString: true });
  });

  it('serves wss:// on the same port, with a certificate from the local CA', async () => {
    const secureUrl = local.server.realtimeUrl.replace('ws://', 'wss://');
    const session = await openRealtime(secureUrl, apiKeyHeader(local.server.graphqlUrl, local.server.apiKey), { ca: local.server.caCert });
    sessions.push(session);
    session.send({ type: 'connection_init' });

    expect(await session.next()).toMatchObject({ type: 'connection_ack' });
  });

  it("serves a start sent without connection_init, which AWS's guide makes optional", async () => {
    const session = await connect(apiKeyHeader(local.server.graphqlUrl, local.server.apiKey));
    await subscribed(session, 'no-init', subscription('rt-no-init', 'fileName'), apiKeyHeader(local.server.graphqlUrl, local.server.apiKey));

    await postGraphQL(local.server.graphqlUrl, uploadMutation('rt-no-init', 'early.txt'), { 'x-api-key': local.server.apiKey });

    expect(await session.next()).toEqual({ type: 'data', id: 'no-init', payload: { data: { onFileUploaded: { fileName: 'early.txt' } } } });
  });

  it('answers a start without connection_init on a connection whose handshake auth failed with connection_error 401, then closes', async () => {
    const session = await connect(apiKeyHeader(local.server.graphqlUrl, 'da2-wrong'));

    session.send(startMessage('no-init', subscription('rt-no-init'), apiKeyHeader(local.server.graphqlUrl, local.server.apiKey)));

    expect(await session.next()).toMatchObject({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 401 }] } });
    expect(await session.closed).toBe(1000);
  });

  it('sends ka right after the ack and then periodically', async () => {
    const session = await connect(apiKeyHeader(local.server.graphqlUrl, local.server.apiKey));
    session.send({ type: 'connection_init' });

    const frames = [await session.next(() => true), await session.next(() => true), await session.next(() => true)];

    expect(frames.map((f) => f.type)).toEqual(['connection_ack', 'ka', 'ka']);
  });

  it.each([
    [
      'a wrong API key',
      () => apiKeyHeader(local.server.graphqlUrl, 'da2-wrong'),
      'You are not authorized to make this call: the x-api-key is not a key of this API.',
    ],
    [
      'an expired token',
      async () => tokenHeader(local.server.graphqlUrl, await local.server.signToken({ username: 'alice', groups: ['admins'], expiresIn: -60 })),
      'Token has expired.',
    ],
    [
      'a token signed by another key',
      async () => {
        const genuine = await local.server.signToken({ username: 'alice', groups: ['admins'] });
        const [header, claims] = genuine
          .split('.')
          .slice(0, 2)
          .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
        const forged = await new SignJWT(claims).setProtectedHeader(header).sign((await generateKeyPair('RS256')).privateKey);
        return tokenHeader(local.server.graphqlUrl, forged);
      },
      'Valid authorization header not provided: the token is not a user-pool token of this API.',
    ],
  ])('answers connection_init with connection_error 401 for %s, then closes', async (_case, header, message) => {
    const session = await connect(await header());
    session.send({ type: 'connection_init' });

    expect(await session.next()).toEqual({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] } });
    expect(await session.closed).toBe(1000);
  });

  it("tells a subscriber of project A about A's uploads only, with its own selection of what the mutation selected", async () => {
    const auth = apiKeyHeader(local.server.graphqlUrl, local.server.apiKey);
    const session = await acknowledged();
    await subscribed(session, 'sub-a', subscription('rt-a', 'fileID fileName __typename'), auth);

    await postGraphQL(local.server.graphqlUrl, uploadMutation('rt-b', 'other.txt'), { 'x-api-key': local.server.apiKey });
    const upload = await postGraphQL(local.server.graphqlUrl, uploadMutation('rt-a', 'mine.txt'), { 'x-api-key': local.server.apiKey });

    expect(await session.next()).toEqual({
      type: 'data',
      id: 'sub-a',
      payload: { data: { onFileUploaded: { fileID: upload.body.data.uploadFile.fileID, fileName: 'mine.txt', __typename: 'File' } } },
    });
    expect(session.pending.filter((f) => f.type !== 'ka')).toEqual([]);
  });

  it('cannot send a field the mutation did not select: a non-null one nulls the event, with an error, as on AppSync', async () => {
    const session = await acknowledged();
    await subscribed(session, 'sub-ct', subscription('rt-ct', 'fileID contentType'), apiKeyHeader(local.server.graphqlUrl, local.server.apiKey));

    await postGraphQL(local.server.graphqlUrl, uploadMutation('rt-ct', 'a.txt', 'fileID projectID'), { 'x-api-key': local.server.apiKey });

    expect(await session.next()).toEqual({
      type: 'data',
      id: 'sub-ct',
      payload: {
        data: { onFileUploaded: null },
        errors: [expect.objectContaining({ message: 'Cannot return null for non-nullable field File.contentType.', path: ['onFileUploaded', 'contentType'] })],
      },
    });
  });

  it('stops a subscription with complete, after which it receives nothing', async () => {
    const auth = apiKeyHeader(local.server.graphqlUrl, local.server.apiKey);
    const session = await acknowledged();
    await subscribed(session, 'sub-stop', subscription('rt-stop'), auth);

    session.send({ type: 'stop', id: 'sub-stop' });
    expect(await session.next()).toEqual({ type: 'complete', id: 'sub-stop' });
    await postGraphQL(local.server.graphqlUrl, uploadMutation('rt-stop', 'late.txt'), { 'x-api-key': local.server.apiKey });
    await subscribed(session, 'sub-probe', subscription('rt-probe'), auth);

    expect(session.pending.filter((f) => f.type !== 'ka')).toEqual([]);
  });

  it('authorizes at subscribe time: a user outside the project gets an error frame, a member gets events', async () => {
    const outsider = tokenHeader(local.server.graphqlUrl, await local.server.signToken({ username: 'eve', groups: ['project-other'] }));
    const member = tokenHeader(local.server.graphqlUrl, await local.server.signToken({ username: 'alice', groups: ['project-rt-auth'] }));
    const session = await acknowledged(member);

    session.send(startMessage('sub-eve', subscription('rt-auth'), outsider));
    expect(await session.next()).toEqual({
      type: 'error',
      id: 'sub-eve',
      payload: { errors: [expect.objectContaining({ errorType: 'Unauthorized', message: expect.stringContaining('project rt-auth') })] },
    });
    await subscribed(session, 'sub-alice', subscription('rt-auth'), member);
    await postGraphQL(local.server.graphqlUrl, uploadMutation('rt-auth', 'a.txt'), member);

    expect(await session.next()).toMatchObject({ type: 'data', id: 'sub-alice', payload: { data: { onFileUploaded: { fileName: 'a.txt' } } } });
  });

  it('refuses a start with a wrong key in its own authorization', async () => {
    const session = await acknowledged();

    session.send(startMessage('sub-bad', subscription('rt-x'), apiKeyHeader(local.server.graphqlUrl, 'da2-wrong')));

    expect(await session.next()).toEqual({
      type: 'error',
      id: 'sub-bad',
      payload: {
        errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call: the x-api-key is not a key of this API.' }],
      },
    });
  });

  it('refuses queries, invalid documents and duplicate ids with an error frame', async () => {
    const auth = apiKeyHeader(local.server.graphqlUrl, local.server.apiKey);
    const session = await acknowledged();

    session.send(startMessage('q', { query: '{ file(fileID: "x") { fileID } }' }, auth));
    expect(await session.next()).toMatchObject({ type: 'error', id: 'q', payload: { errors: [{ errorType: 'ValidationError' }] } });
    session.send(startMessage('bad', { query: 'subscription { onFileUploaded(projectID: "p") { nope } }' }, auth));
    expect(await session.next()).toMatchObject({
      type: 'error',
      id: 'bad',
      payload: { errors: [{ errorType: 'ValidationError', message: 'Cannot query field "nope" on type "File".' }] },
    });
    await subscribed(session, 'twice', subscription('rt-dup'), auth);
    session.send(startMessage('twice', subscription('rt-dup'), auth));
    expect(await session.next()).toMatchObject({ type: 'error', id: 'twice', payload: { errors: [{ errorType: 'DuplicatedOperationError' }] } });
  });

  it('accepts IAM: a handshake signed for <endpoint>/connect and a start signed over its data, with the local credentials', async () => {
    const { server } = local;
    const signer = new SignatureV4({
      service: 'appsync',
      region: server.storage.region,
      credentials: server.storage.credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
    const url = new URL(server.graphqlUrl);
    // What AppSync clients send in IAM mode: the signed headers of a POST of `body` to `path`.
    const signedHeaders = async (pathname: string, body: string) =>
      (
        await signer.sign(
          new HttpRequest({
            method: 'POST',
            protocol: 'https:',
            hostname: url.hostname,
            path: pathname,
            headers: {
              accept: 'application/json, text/javascript',
              'content-encoding': 'amz-1.0',
              'content-type': 'application/json; charset=UTF-8',
              host: url.host,
            },
            body,
          }),
        )
      ).headers;
    const session = await acknowledged(await signedHeaders('/graphql/connect', '{}'));
    const request = subscription('rt-iam', 'fileID fileName');

    session.send({
      id: 'sub-iam',
      type: 'start',
      payload: { data: JSON.stringify(request), extensions: { authorization: await signedHeaders('/graphql', JSON.stringify(request)) } },
    });

    expect(await session.next()).toEqual({ type: 'start_ack', id: 'sub-iam' });
  });

  it('closes a connection that sends a message over 1 MB (1009), and keeps serving others', async () => {
    const session = await acknowledged();

    session.send({ type: 'start', id: 'huge', payload: { data: 'x'.repeat(1_100_000) } });

    expect(await session.closed).toBe(1009);
    await acknowledged();
  });

  it('lets a client stop and restart an id while its first start is being authorized, leaving one subscriber', async () => {
    const auth = apiKeyHeader(local.server.graphqlUrl, local.server.apiKey);
    const session = await acknowledged();
    const before = local.server.activeSubscriptions();

    session.send(startMessage('again', subscription('rt-again'), auth));
    session.send({ type: 'stop', id: 'again' });
    session.send(startMessage('again', subscription('rt-again'), auth));

    expect(await session.next()).toEqual({ type: 'complete', id: 'again' });
    expect(await session.next()).toEqual({ type: 'start_ack', id: 'again' });
    expect(local.server.activeSubscriptions()).toBe(before + 1);
    session.send({ type: 'stop', id: 'again' });
    expect(await session.next()).toEqual({ type: 'complete', id: 'again' });
    expect(local.server.activeSubscriptions()).toBe(before);
  });

  it('finds the subscription field inside a fragment, and matches arguments as coerced (123 is the ID "123")', async () => {
    const auth = apiKeyHeader(local.server.graphqlUrl, local.server.apiKey);
    const session = await acknowledged();
    const request = {
      query: 'subscription S($p: ID!) { ...Watch } fragment Watch on Subscription { onFileUploaded(projectID: $p) { fileName } }',
      variables: { p: 123 },
    };

    await subscribed(session, 'frag', request, auth);
    await postGraphQL(local.server.graphqlUrl, uploadMutation('123', 'numbered.txt'), { 'x-api-key': local.server.apiKey });

    expect(await session.next()).toEqual({ type: 'data', id: 'frag', payload: { data: { onFileUploaded: { fileName: 'numbered.txt' } } } });
  });

  it('sends one upload to sockets with different selections, each exactly its own frame text, and none to a subscriber of another project', async () => {
    const auth = apiKeyHeader(local.server.graphqlUrl, local.server.apiKey);
    const raw = new Map<string, string[]>();
    const subscribers = { names: 'fileID fileName', names2: 'fileID fileName', sizes: 'size projectID __typename' };
    for (const [id, selection] of Object.entries(subscribers)) {
      const session = await acknowledged();
      session.socket.on('message', (data) => raw.set(id, [...(raw.get(id) ?? []), String(data)]));
      await subscribed(session, id, subscription('rt-many', selection), auth);
    }
    const elsewhere = await acknowledged();
    await subscribed(elsewhere, 'elsewhere', subscription('rt-many-other', 'fileID'), auth);

    const upload = await postGraphQL(local.server.graphqlUrl, uploadMutation('rt-many', 'shared.txt'), { 'x-api-key': local.server.apiKey });
    const { fileID } = upload.body.data.uploadFile;
    await expect.poll(() => [...raw.values()].map((texts) => texts.filter((text) => text.includes('"data"')).length)).toEqual([1, 1, 1]);

    const names = { data: { onFileUploaded: { fileID, fileName: 'shared.txt' } } };
    const frames = Object.fromEntries([...raw].map(([id, texts]) => [id, texts.filter((text) => text.includes('"data"'))]));
    expect(frames).toEqual({
      names: [JSON.stringify({ type: 'data', id: 'names', payload: names })],
      names2: [JSON.stringify({ type: 'data', id: 'names2', payload: names })],
      sizes: [JSON.stringify({ type: 'data', id: 'sizes', payload: { data: { onFileUploaded: { size: 15, projectID: 'rt-many', __typename: 'File' } } } })],
    });
    await postGraphQL(local.server.graphqlUrl, uploadMutation('rt-many-other', 'there.txt'), { 'x-api-key': local.server.apiKey });
    expect(await elsewhere.next()).toMatchObject({ type: 'data', payload: { data: { onFileUploaded: { fileID: expect.not.stringMatching(fileID) } } } });
  });

  it('tells subscribers about files uploaded through POST /upload', async () => {
    const session = await acknowledged();
    await subscribed(session, 'sub-rest', subscription('rt-rest', 'fileID fileName size'), apiKeyHeader(local.server.graphqlUrl, local.server.apiKey));
    const token = await local.server.signToken({ username: 'legacy', groups: ['project-rt-rest'] });

    const response = await fetch(local.server.restUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ file_content: Buffer.from('legacy bytes').toString('base64'), file_name: 'legacy.txt', project_id: 'rt-rest', file_type: 'text' }),
    });
    const { file } = (await response.json()) as { file: { fileID: string } };

    expect(await session.next()).toEqual({
      type: 'data',
      id: 'sub-rest',
      payload: { data: { onFileUploaded: { fileID: file.fileID, fileName: 'legacy.txt', size: 12 } } },
    });
  });
});
