/**
 * Stock aws-amplify v6 against the local API, configured exactly as for
 * AppSync: generateClient, API key and Cognito user-pool modes. Amplify
 * dials wss:// for the http:// endpoint; the only test plumbing is the
 * global WebSocket Node 20 lacks, trusting the local CA.
 */
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJWT } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesByProjectDocument, OnFileUploadedDocument, UploadFileDocument, type FileFieldsFragment } from '../../generated/operations';
import { useLocalServer } from '../support/local-server';
import { installTrustingWebSocket } from '../support/trusting-websocket';

const local = useLocalServer();
let restoreWebSocket: () => void;
beforeAll(() => {
  restoreWebSocket = installTrustingWebSocket(local.server.caCert);
});
afterAll(() => restoreWebSocket());

/** Amplify's generated types are too deep for these untyped documents: the calls are read as a client would. */
interface StockClient {
  graphql(call: { query: string; variables?: Record<string, unknown> }): any;
}

/** The token a signed-in Amplify app would hold; Amplify sends its access token. */
let currentToken = '';

function configure(defaultAuthMode: 'apiKey' | 'userPool', apiKey = local.server.apiKey) {
  const { server } = local;
  Amplify.configure(
    {
      Auth: { Cognito: { userPoolId: server.userPool.userPoolId, userPoolClientId: server.userPool.clientId } },
      API: { GraphQL: { endpoint: server.graphqlUrl, region: server.userPool.region, defaultAuthMode, apiKey } },
    },
    { Auth: { tokenProvider: { getTokens: async () => ({ accessToken: decodeJWT(currentToken) }) } } },
  );
  return generateClient() as unknown as StockClient;
}

const contentOf = (text: string) => Buffer.from(text).toString('base64');

/** Subscribes and resolves once the server has acknowledged the start. */
async function subscribe(client: StockClient, projectID: string) {
  const events: FileFieldsFragment[] = [];
  const errors: unknown[] = [];
  let notify = () => {};
  const subscription = client.graphql({ query: OnFileUploadedDocument.toString(), variables: { projectID } }).subscribe({
    next: ({ data }: { data: { onFileUploaded: FileFieldsFragment } }) => {
      events.push(data.onFileUploaded);
      notify();
    },
    error: (error: unknown) => {
      errors.push(error);
      notify();
    },
  });
  const nextSignal = () => new Promise<void>((resolve) => (notify = resolve));
  return { events, errors, subscription, nextSignal };
}

async function upload(client: StockClient, projectID: string, fileName: string) {
  const result = await client.graphql({
    query: UploadFileDocument.toString(),
    variables: { input: { projectID, fileName, fileType: 'text', contentBase64: contentOf(`${fileName} contents`) } },
  });
  return result.data.uploadFile as FileFieldsFragment;
}

async function listAll(client: StockClient, projectID: string, limit: number) {
  const pages: string[][] = [];
  let nextToken: string | null | undefined;
  do {
    const result = await client.graphql({ query: FilesByProjectDocument.toString(), variables: { projectID, limit, nextToken } });
    pages.push(result.data.filesByProject.items.map((f: FileFieldsFragment) => f.fileName));
    nextToken = result.data.filesByProject.nextToken;
  } while (nextToken);
  return pages;
}

/** Resolves when the server acknowledges (start_ack) a subscription for `projectID`: Amplify announces it on its Hub. */
function acknowledged(projectID: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = Hub.listen('api', ({ payload }) => {
      const data = payload.data as { variables?: { projectID?: string } } | undefined;
      if (payload.event === 'Subscription ack' && data?.variables?.projectID === projectID) {
        stop();
        resolve();
      }
    });
  });
}

describe.each(['apiKey', 'userPool'] as const)('aws-amplify v6 generateClient with %s auth', (mode) => {
  const projectID = `amplify-${mode}`;

  it('subscribes, uploads, receives the event, then lists and pages with nextToken', async () => {
    currentToken = await local.server.signToken({ username: 'alice', groups: [`project-${projectID}`] });
    const client = configure(mode);
    const live = acknowledged(projectID);
    const sub = await subscribe(client, projectID);
    await live;

    const signal = sub.nextSignal();
    const uploaded = await upload(client, projectID, 'spec.txt');
    await signal;

    expect(sub.events.at(-1)).toEqual(uploaded);
    sub.subscription.unsubscribe();
    // Five files in pages of two: three pages, newest first, each file once.
    for (const name of ['b.txt', 'c.txt', 'd.txt', 'e.txt']) await upload(client, projectID, name);
    const pages = await listAll(client, projectID, 2);
    expect(pages).toEqual([['e.txt', 'd.txt'], ['c.txt', 'b.txt'], ['spec.txt']]);
  });
});

describe('aws-amplify v6 refusals', () => {
  it('rejects a query made with a wrong API key with UnauthorizedException', async () => {
    const client = configure('apiKey', 'da2-wrong');

    const failure = await client.graphql({ query: FilesByProjectDocument.toString(), variables: { projectID: 'x' } }).catch((error: unknown) => error);

    // Amplify reports every non-2xx as "Unknown error", on AWS as here; the 401 is underneath.
    expect(failure).toMatchObject({ data: {}, errors: [{ message: 'Unknown error', originalError: { response: { statusCode: 401 } } }] });
  });

  it('gives a subscription made with an expired token an error, not events', async () => {
    currentToken = await local.server.signToken({ username: 'alice', groups: ['admins'], expiresIn: -60 });
    const client = configure('userPool');

    const sub = await subscribe(client, 'amplify-expired');
    await sub.nextSignal();

    expect(sub.events).toEqual([]);
    expect(JSON.stringify(sub.errors)).toContain('UnauthorizedException');
    sub.subscription.unsubscribe();
  });

  it('gives a subscriber outside the project an Unauthorized error', async () => {
    currentToken = await local.server.signToken({ username: 'eve', groups: ['project-other'] });
    const client = configure('userPool');

    const sub = await subscribe(client, 'amplify-private');
    await sub.nextSignal();

    expect(sub.events).toEqual([]);
    expect(JSON.stringify(sub.errors)).toContain('Not authorized for project amplify-private');
    sub.subscription.unsubscribe();
  });
});
