import { describe, expect, it } from 'vitest';
import { MAX_GRAPHQL_REQUEST_BYTES } from '../../local/http/graphql-endpoint';
import { postGraphQL, useLocalServer } from '../support/local-server';

const local = useLocalServer();

describe("AppSync's request size quota over HTTP", () => {
  it('refuses a GraphQL request body over 1 MB with 413 PayloadTooLarge; one just under it is served', async () => {
    const padded = (bytes: number) => ({ query: `{ __typename }${' '.repeat(bytes)}` });
    const overhead = JSON.stringify(padded(0)).length;

    const over = await postGraphQL(local.server.graphqlUrl, padded(MAX_GRAPHQL_REQUEST_BYTES - overhead + 1), { 'x-api-key': local.server.apiKey });
    const under = await postGraphQL(local.server.graphqlUrl, padded(MAX_GRAPHQL_REQUEST_BYTES - overhead), { 'x-api-key': local.server.apiKey });

    expect(over).toMatchObject({ status: 413, body: { errors: [{ errorType: 'PayloadTooLarge' }] } });
    expect(under).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });
});
