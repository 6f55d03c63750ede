/**
 * POST /upload's announcement under failure. The REST Lambda's handler runs on
 * the local server's storage and announces to its GraphQL endpoint, IAM-signed,
 * as on AWS; only AppSync's transient failures are simulated (AWS itself is
 * mocked: the first calls answer 503 before reaching the server).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GraphQLCallError, signedGraphQLClient, type SignedGraphQL } from '../../functions/core/signed-graphql';
import { storesFrom } from '../../functions/core/storage';
import { localLambdaEnvironment } from '../../local/lambda-environment';
import { handleRestUpload, type RestUploadEvent } from '../../functions/rest-upload/index';
import { useLocalServer } from '../support/local-server';
import { apiKeyHeader, openRealtime, startMessage, type RealtimeSession } from '../support/realtime-client';

const local = useLocalServer();
/** Short waits, the same policy otherwise. */
const FAST = { retries: 3, minTimeout: 5, maxTimeout: 20, maxRetryTime: 5_000, randomize: false };

afterEach(() => vi.restoreAllMocks());

/** The real announcer, signing with the local server's credentials (a Lambda's role's on AWS); its first `failures` calls fail as `failure` says. */
function flakyAnnouncer(failures: number, failure: () => Error = () => new GraphQLCallError(503, [], 'AppSync answered 503: no GraphQL errors')) {
  const real = signedGraphQLClient(local.server.graphqlUrl, local.server.storage.region, local.server.storage.credentials);
  const calls = { count: 0 };
  const graphql: SignedGraphQL = async (query, variables) => {
    calls.count += 1;
    if (calls.count <= failures) throw failure();
    return real(query, variables);
  };
  return { graphql, calls };
}

/** The event API Gateway's JWT authorizer hands the Lambda for a user in `project-<projectID>`. */
const restEvent = (projectID: string, fileName: string): RestUploadEvent =>
  ({
    body: JSON.stringify({
      file_content: Buffer.from(`bytes of ${fileName}`).toString('base64'),
      file_name: fileName,
      project_id: projectID,
      file_type: 'text',
    }),
    isBase64Encoded: false,
    requestContext: {
      authorizer: {
        jwt: { claims: { sub: 'sub-legacy', iss: 'local', 'cognito:username': 'legacy', 'cognito:groups': `[project-${projectID}]` }, scopes: null },
      },
      http: { sourceIp: '127.0.0.1' },
    },
  }) as unknown as RestUploadEvent;

async function subscriber(projectID: string): Promise<RealtimeSession> {
  const auth = apiKeyHeader(local.server.graphqlUrl, local.server.apiKey);
  const session = await openRealtime(local.server.realtimeUrl, auth);
  session.send({ type: 'connection_init' });
  expect((await session.next()).type).toBe('connection_ack');
  session.send(
    startMessage('up', { query: 'subscription S($p: ID!) { onFileUploaded(projectID: $p) { fileID fileName } }', variables: { p: projectID } }, auth),
  );
  expect(await session.next()).toEqual({ type: 'start_ack', id: 'up' });
  return session;
}

const upload = (event: RestUploadEvent, graphql: SignedGraphQL) =>
  handleRestUpload(event, { awsRequestId: randomUUID() }, () => ({
    uploads: storesFrom(localLambdaEnvironment(local.server.storage)),
    graphql,
    announceRetry: FAST,
  }));

describe('POST /upload announcing its file', () => {
  it('retries a failing announcement until it goes through, and the subscriber gets the event', async () => {
    const projectID = `ann${randomUUID().slice(0, 8)}`;
    const session = await subscriber(projectID);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { graphql, calls } = flakyAnnouncer(2);

    const response = await upload(restEvent(projectID, 'late.txt'), graphql);

    expect(response.statusCode).toBe(200);
    const { file } = JSON.parse(response.body!);
    expect(calls.count).toBe(3);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(await session.next()).toEqual({ type: 'data', id: 'up', payload: { data: { onFileUploaded: { fileID: file.fileID, fileName: 'late.txt' } } } });
    session.close();
  });

  it('answers 200 with the stored file when every attempt fails, and logs the lost event', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { graphql, calls } = flakyAnnouncer(Infinity);

    const response = await upload(restEvent('ann-lost', 'lost.txt'), graphql);

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toMatchObject({ message: 'File uploaded successfully', file: { fileName: 'lost.txt', projectID: 'ann-lost' } });
    expect(calls.count).toBe(FAST.retries + 1);
    expect(error).toHaveBeenCalledWith(
      'rest-upload: the file is stored but announceFileUploaded failed',
      expect.objectContaining({ fileID: JSON.parse(response.body!).file.fileID }),
    );
  });

  it('does not retry a refusal another attempt cannot change (the role may not call the field)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { graphql, calls } = flakyAnnouncer(
      Infinity,
      () => new GraphQLCallError(200, ['Unauthorized'], 'AppSync answered 200: Unauthorized: Not Authorized'),
    );

    const response = await upload(restEvent('ann-refused', 'refused.txt'), graphql);

    expect(response.statusCode).toBe(200);
    expect(calls.count).toBe(1);
  });
});
