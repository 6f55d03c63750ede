import { describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../infra/bundle';
import type { PipelineResolver } from '../../local/appsync-js/execute-resolver';
import { createGraphQLApi, type Caller, type MutationEvent } from '../../local/graphql/graphql-api';

/** A schema of its own, to pin down AppSync's auth-directive rules independently of the product schema. */
const schema = buildSchema(`
  ${readFileSync(path.join(projectRoot, 'schema', 'appsync.graphql'), 'utf8')}
  type Item @aws_api_key @aws_cognito_user_pools { id: ID! secret: String @aws_iam size: Int }
  type Query {
    open: Item @aws_api_key @aws_cognito_user_pools
    defaultOnly: Item
    staff: Item @aws_cognito_user_pools(cognito_groups: ["staff"])
  }
  type Mutation { put(id: ID!, size: Int): Item @aws_api_key }
  type Subscription { onPut(id: ID): Item @aws_subscribe(mutations: ["put"]) @aws_api_key }
`);

const item = { id: '1', secret: 's', size: 5 };
const constant = (name: string, value: unknown): PipelineResolver => ({
  name,
  code: { request: () => ({}), response: () => value },
  functions: [],
});
const echoPut: PipelineResolver = {
  name: 'Mutation.put',
  code: { request: () => ({}), response: (ctx) => ({ ...(ctx as { args: object }).args, secret: 'x' }) },
  functions: [],
};
const resolvers = new Map([
  ['Query.open', constant('Query.open', item)],
  ['Query.defaultOnly', constant('Query.defaultOnly', item)],
  ['Query.staff', constant('Query.staff', item)],
  ['Mutation.put', echoPut],
  ['Subscription.onPut', constant('Subscription.onPut', null)],
]);

const apiKey: Caller = { authMode: 'API_KEY', identity: null, headers: {} };
const user = (groups: string[]): Caller => ({ authMode: 'AMAZON_COGNITO_USER_POOLS', identity: { sub: 'u', groups }, headers: {} });
const notAuthorized = (field: string, type: string, path: string[]) =>
  expect.objectContaining({ errorType: 'Unauthorized', message: `Not Authorized to access ${field} on type ${type}`, path });

describe('auth directives', () => {
  const api = createGraphQLApi({ schema, resolvers });

  it('lets a mode listed on the field through', async () => {
    expect(await api.execute({ query: '{ open { id size } }' }, apiKey)).toEqual({ data: { open: { id: '1', size: 5 } } });
  });

  it('opens a field without directives to the default mode (user pools) only', async () => {
    expect(await api.execute({ query: '{ defaultOnly { id } }' }, user([]))).toEqual({ data: { defaultOnly: { id: '1' } } });
    expect((await api.execute({ query: '{ defaultOnly { id } }' }, apiKey)).errors).toEqual([notAuthorized('defaultOnly', 'Query', ['defaultOnly'])]);
  });

  it("lets a field's directives override its type's", async () => {
    const response = await api.execute({ query: '{ open { id secret } }' }, apiKey);
    expect(response).toEqual({ data: { open: { id: '1', secret: null } }, errors: [notAuthorized('secret', 'Item', ['open', 'secret'])] });
  });

  it('restricts user-pool callers to the cognito_groups named', async () => {
    expect((await api.execute({ query: '{ staff { id } }' }, user(['staff']))).errors).toBeUndefined();
    expect((await api.execute({ query: '{ staff { id } }' }, user(['guests']))).errors).toEqual([notAuthorized('staff', 'Query', ['staff'])]);
  });
});

describe('subscriptions', () => {
  const events: MutationEvent[] = [];
  const api = createGraphQLApi({ schema, resolvers, onMutation: (event) => events.push(event) });

  it('hands subscribers only the fields the mutation selected, and matches subscription arguments', async () => {
    const prepared = await api.subscribe({ query: 'subscription S($id: ID) { onPut(id: $id) { id size __typename } }', variables: { id: '7' } }, apiKey);
    if (!('subscription' in prepared)) throw new Error(JSON.stringify(prepared.errors));

    await api.execute({ query: 'mutation { put(id: "7", size: 3) { id } }' }, apiKey);
    await api.execute({ query: 'mutation { put(id: "8", size: 4) { id size } }' }, apiKey);

    expect(events).toEqual([
      { fieldName: 'put', value: { id: '7' } },
      { fieldName: 'put', value: { id: '8', size: 4 } },
    ]);
    expect(events.map((e) => prepared.subscription.matches(e))).toEqual([true, false]);
    expect(await prepared.subscription.render(events[0])).toEqual({ data: { onPut: { id: '7', size: null, __typename: 'Item' } } });
  });

  it('refuses queries on the real-time path and subscriptions over HTTP', async () => {
    expect(await api.subscribe({ query: '{ open { id } }' }, apiKey)).toEqual({ errors: [expect.objectContaining({ errorType: 'ValidationError' })] });
    expect(await api.execute({ query: 'subscription { onPut { id } }' }, apiKey)).toEqual({
      errors: [expect.objectContaining({ errorType: 'ValidationError' })],
    });
  });
});

describe("AppSync's per-request quotas", () => {
  const quotaSchema = buildSchema(`
    ${readFileSync(path.join(projectRoot, 'schema', 'appsync.graphql'), 'utf8')}
    type Row @aws_api_key { id: ID! detail: String @aws_api_key }
    type Query { rows: [Row] @aws_api_key slow: String @aws_api_key }
  `);
  const hanging: PipelineResolver = {
    name: 'Query.slow',
    code: { request: () => ({}), response: (ctx) => (ctx as { prev: { result: unknown } }).prev.result },
    functions: [{ name: 'never', code: { request: () => ({}), response: () => 'late' }, dataSource: { invoke: () => new Promise(() => {}) } }],
  };
  const quotaResolvers = new Map([
    ['Query.rows', constant('Query.rows', [{ id: '1' }, { id: '2' }, { id: '3' }])],
    ['Row.detail', constant('Row.detail', 'd')],
    ['Query.slow', hanging],
  ]);
  const api = createGraphQLApi({ schema: quotaSchema, resolvers: quotaResolvers, limits: { resolverCount: 3, queryDepth: 2, executionMs: 50 } });

  it('counts the resolvers a list runs while executing, and answers the excess as AppSync does', async () => {
    const response = await api.execute({ query: '{ rows { id detail } }' }, apiKey);

    expect(response.data).toEqual({
      rows: [
        { id: '1', detail: 'd' },
        { id: '2', detail: 'd' },
        { id: '3', detail: null },
      ],
    });
    expect(response.errors).toEqual([
      expect.objectContaining({ errorType: 'ResolverExecutionLimitReached', message: 'Resolver invocation limit reached.', path: ['rows', 2, 'detail'] }),
    ]);
  });

  it('refuses, before running anything, a document that selects more resolvers than may run', async () => {
    expect(await api.execute({ query: '{ a: slow b: slow c: slow d: slow }' }, apiKey)).toEqual({
      errors: [expect.objectContaining({ errorType: 'ResolverExecutionLimitReached', path: null })],
    });
  });

  it('refuses a document nested deeper than queryDepth', async () => {
    expect((await api.execute({ query: '{ __schema { queryType { name } } }' }, apiKey)).errors).toEqual([
      expect.objectContaining({
        errorType: 'QueryDepthLimitReached',
        message: 'The query is 3 levels deep; this API allows at most 2. Select fewer nested fields.',
      }),
    ]);
  });

  it('answers a request still running when its time is up with ExecutionTimeout', async () => {
    expect(await api.execute({ query: '{ slow }' }, apiKey)).toEqual({
      data: null,
      errors: [expect.objectContaining({ errorType: 'ExecutionTimeout', message: 'Execution timed out.' })],
    });
  });
});
