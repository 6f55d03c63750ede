/**
 * Stock Apollo Client 4 with aws-appsync-auth-link and
 * aws-appsync-subscription-link, wired as the links' README wires them for
 * AppSync, against the local API: API key and Cognito user-pool (ID token).
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { AUTH_TYPE, createAuthLink, type AuthOptions } from 'aws-appsync-auth-link';
import { createSubscriptionHandshakeLink } from 'aws-appsync-subscription-link';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  FilesByProjectDocument,
  OnFileUploadedDocument,
  UploadFileDocument,
  type FileFieldsFragment,
  type FilesByProjectQuery,
  type FilesByProjectQueryVariables,
  type OnFileUploadedSubscription,
  type OnFileUploadedSubscriptionVariables,
  type UploadFileMutation,
  type UploadFileMutationVariables,
} from '../../generated/operations';
import { useLocalServer } from '../support/local-server';
import { installTrustingWebSocket } from '../support/trusting-websocket';

const local = useLocalServer();
let restoreWebSocket: () => void;
beforeAll(() => {
  restoreWebSocket = installTrustingWebSocket(local.server.caCert);
});
afterAll(() => restoreWebSocket());

// The generated documents are strings; Apollo wants parsed documents.
const documents = {
  list: parse(FilesByProjectDocument.toString()) as TypedDocumentNode<FilesByProjectQuery, FilesByProjectQueryVariables>,
  upload: parse(UploadFileDocument.toString()) as TypedDocumentNode<UploadFileMutation, UploadFileMutationVariables>,
  onUploaded: parse(OnFileUploadedDocument.toString()) as TypedDocumentNode<OnFileUploadedSubscription, OnFileUploadedSubscriptionVariables>,
};

function apolloClient(auth: AuthOptions) {
  const url = local.server.graphqlUrl;
  const region = local.server.userPool.region;
  const link = ApolloLink.from([createAuthLink({ url, region, auth }), createSubscriptionHandshakeLink({ url, region, auth }, new HttpLink({ uri: url }))]);
  return new ApolloClient({ link, cache: new InMemoryCache(), defaultOptions: { query: { fetchPolicy: 'no-cache' } } });
}

type Client = ReturnType<typeof apolloClient>;

/**
 * Subscribes. `ready` resolves once the server has acknowledged the start:
 * the link reports start_ack as a data-less result that Apollo Client 4 does
 * not pass on, so the test asks the server it started.
 */
function subscribe(client: Client, projectID: string) {
  const events: FileFieldsFragment[] = [];
  const errors: unknown[] = [];
  let signal = () => {};
  const before = local.server.activeSubscriptions();
  const ready = vi.waitFor(() => expect(local.server.activeSubscriptions()).toBeGreaterThan(before), { timeout: 5_000, interval: 10 });
  const subscription = client.subscribe({ query: documents.onUploaded, variables: { projectID } }).subscribe({
    next: (result) => {
      // The link hands Apollo plain {errors} objects, which Apollo wraps with the original as `cause`.
      if (result.error) errors.push((result.error as Error).cause ?? result.error);
      if (result.data?.onFileUploaded) events.push(result.data.onFileUploaded);
      signal();
    },
    error: (error) => {
      errors.push(error);
      signal();
    },
  });
  const next = () => new Promise<void>((resolve) => (signal = resolve));
  return { events, errors, ready, next, subscription };
}

async function upload(client: Client, projectID: string, fileName: string) {
  const result = await client.mutate({
    mutation: documents.upload,
    variables: { input: { projectID, fileName, fileType: 'text', contentBase64: Buffer.from(`${fileName} contents`).toString('base64') } },
  });
  return result.data!.uploadFile;
}

async function listPages(client: Client, projectID: string, limit: number) {
  const pages: string[][] = [];
  let nextToken: string | null | undefined;
  do {
    const { data } = await client.query({ query: documents.list, variables: { projectID, limit, nextToken } });
    pages.push(data!.filesByProject.items.map((f) => f.fileName));
    nextToken = data!.filesByProject.nextToken;
  } while (nextToken);
  return pages;
}

describe.each([
  ['API key', 'apollo-key', async () => ({ type: AUTH_TYPE.API_KEY, apiKey: local.server.apiKey }) as AuthOptions],
  [
    'a user-pool ID token',
    'apollo-pool',
    async () => {
      const token = await local.server.signToken({ username: 'alice', groups: ['project-apollo-pool'], tokenUse: 'id' });
      return { type: AUTH_TYPE.AMAZON_COGNITO_USER_POOLS, jwtToken: async () => token } as AuthOptions;
    },
  ],
])('Apollo Client with the aws-appsync links, %s', (_mode, projectID, auth) => {
  it('subscribes, uploads, receives the event (with __typename), then lists and pages with nextToken', async () => {
    const client = apolloClient(await auth());
    const sub = subscribe(client, projectID);
    await sub.ready;

    const received = sub.next();
    const uploaded = await upload(client, projectID, 'first.txt');
    await received;
    await upload(client, projectID, 'second.txt');
    await upload(client, projectID, 'third.txt');

    expect(sub.errors).toEqual([]);
    expect(sub.events[0]).toEqual({ ...uploaded, __typename: 'File' });
    expect(await listPages(client, projectID, 2)).toEqual([['third.txt', 'second.txt'], ['first.txt']]);
    sub.subscription.unsubscribe();
    client.stop();
  });
});

describe('Apollo Client refusals', () => {
  it('fails a query sent with a wrong API key with the 401 UnauthorizedException', async () => {
    const client = apolloClient({ type: AUTH_TYPE.API_KEY, apiKey: 'da2-wrong' });

    const failure = await client.query({ query: documents.list, variables: { projectID: 'x' } }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ statusCode: 401 });
    expect(JSON.parse((failure as { bodyText: string }).bodyText).errors).toEqual([expect.objectContaining({ errorType: 'UnauthorizedException' })]);
    client.stop();
  });

  it('errors a subscription whose token belongs to a user outside the project', async () => {
    const token = await local.server.signToken({ username: 'eve', groups: ['project-other'] });
    const client = apolloClient({ type: AUTH_TYPE.AMAZON_COGNITO_USER_POOLS, jwtToken: async () => token });

    const sub = subscribe(client, 'apollo-private');
    await sub.next();

    expect(sub.events).toEqual([]);
    expect(JSON.stringify(sub.errors)).toContain('Not authorized for project apollo-private');
    sub.subscription.unsubscribe();
    client.stop();
  });

  it('errors a subscription made with an expired token', async () => {
    const token = await local.server.signToken({ username: 'alice', groups: ['admins'], expiresIn: -60 });
    const client = apolloClient({ type: AUTH_TYPE.AMAZON_COGNITO_USER_POOLS, jwtToken: async () => token });

    const sub = subscribe(client, 'apollo-expired');
    await sub.next();

    expect(sub.events).toEqual([]);
    expect(JSON.stringify(sub.errors)).toContain('UnauthorizedException');
    sub.subscription.unsubscribe();
    client.stop();
  });
});
