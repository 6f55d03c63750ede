import { buildSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../infra/bundle';
import { executeResolver, type FieldInvocation, type PipelineResolver } from '../../../local/appsync-js/execute-resolver';
import type { AuthConfig } from '../../../local/auth/authenticate';
import { createGraphQLApi, type Caller } from '../../../local/graphql/graphql-api';
import { handleGraphQL } from '../../../local/http/graphql-endpoint';
import { SubscriptionHub } from '../../../local/realtime/subscription-hub';
import { loadAppsyncSource } from '../../support/appsync-code';

/** Bundles APPSYNC_JS source as the build does and loads it in the local runtime, as a resolver with no functions. */
async function resolver(name: string, source: string): Promise<PipelineResolver> {
  return { name, code: await loadAppsyncSource(source), functions: [] };
}

const invocation: FieldInvocation = {
  arguments: {},
  identity: null,
  source: null,
  request: { headers: { host: 'h', 'content-length': '2', 'x-trace': 't' }, domainName: null },
  info: { fieldName: 'f', parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
  authType: 'API Key Authorization',
};
const run = async (body: string) =>
  executeResolver(
    await resolver(
      'Query.f',
      `import { util } from '@aws-appsync/utils';\nexport function request(ctx: any) { return {}; }\nexport function response(ctx: any) { ${body} }\n`,
    ),
    invocation,
  );

describe('util coverage (local runtime)', () => {
  it('util.math', async () => {
    const { data } = await run(
      'return { round: util.math.roundNum(2.5), min: util.math.minVal(3, 4), max: util.math.maxVal(3, 4), pick: util.math.randomWithinRange(7, 7), unit: util.math.randomDouble() };',
    );

    expect(data).toEqual({ round: 3, min: 3, max: 4, pick: 7, unit: expect.any(Number) });
  });

  it('util.http.copyHeaders leaves out the hop-by-hop headers', async () => {
    const { data } = await run('return util.http.copyHeaders(ctx.request.headers);');

    expect(data).toEqual({ 'x-trace': 't' });
  });

  it.each([
    ['util.xml.toMap', "return util.xml.toMap('<a>1</a>');"],
    ['util.rds.toJsonObject', "return util.rds.toJsonObject('{}');"],
    ['util.transform.toElasticsearchQueryDSL', 'return util.transform.toElasticsearchQueryDSL({ a: { eq: 1 } });'],
  ])('%s fails with an error naming it as not supported locally', async (name, body) => {
    const { errors } = await run(body);

    expect(errors).toEqual([
      {
        errorType: 'Code',
        message: `Runtime error in Query.f response: ${name} is not supported by the local runtime (it works on AppSync): this API's resolvers do not use it.`,
      },
    ]);
  });

  it('extensions.evictFromApiCache does nothing (the local server has no resolver cache) and does not fail', async () => {
    const { data, errors } = await executeResolver(
      await resolver(
        'Mutation.f',
        "import { extensions } from '@aws-appsync/utils';\nexport function request(ctx: any) { return {}; }\nexport function response(ctx: any) { extensions.evictFromApiCache('Query', 'f', { 'ctx.args.id': 1 }); return 'evicted'; }\n",
      ),
      invocation,
    );

    expect({ data, errors }).toEqual({ data: 'evicted', errors: [] });
  });

  it('every function @aws-appsync/utils/dynamodb declares is there; those for operations the local data source does not run fail naming themselves', async () => {
    const declared = readFileSync(path.join(projectRoot, 'node_modules/@aws-appsync/utils/lib/dynamodb-helpers.d.ts'), 'utf8');
    const names = [...declared.matchAll(/export declare function (\w+)/g)].map((match) => match[1]);
    const code = await resolver(
      'Query.f',
      `import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx: any) { return {}; }
export function response(ctx: any) { const d: any = ddb; return ctx.args.typeOf ? typeof d[ctx.args.name] : d[ctx.args.name]({ tables: {} }); }
`,
    );
    const call = (name: string, typeOf = false) => executeResolver(code, { ...invocation, arguments: { name, typeOf } });

    expect(names).toEqual(expect.arrayContaining(['get', 'query', 'batchGet', 'transactWrite', 'sync']));
    for (const name of ['batchGet', 'batchPut', 'batchDelete', 'transactGet', 'transactWrite', 'sync']) {
      expect((await call(name)).errors[0].message).toContain(`@aws-appsync/utils/dynamodb.${name} is not supported by the local runtime`);
    }
    for (const name of names) expect([name, (await call(name, true)).data]).toEqual([name, 'function']);
  });

  it('an export of @aws-appsync/utils/rds fails naming itself', async () => {
    const code = await resolver(
      'Query.f',
      "import { select } from '@aws-appsync/utils/rds';\nexport function request(ctx: any) { return select({ table: 't' }); }\nexport function response(ctx: any) { return 1; }\n",
    );

    const { errors } = await executeResolver(code, invocation);

    expect(errors[0].message).toContain('@aws-appsync/utils/rds select is not supported by the local runtime');
  });
});

const schema = buildSchema(`
  ${readFileSync(path.join(projectRoot, 'schema', 'appsync.graphql'), 'utf8')}
  type Item @aws_api_key { id: ID! group: String }
  type Query { traced(case: String): String @aws_api_key }
  type Mutation { save(id: ID!, group: String): Item @aws_api_key  removeGroup(group: String!, times: Int): Item @aws_api_key }
  type Subscription { onSave(group: String, anyGroup: Boolean): Item @aws_subscribe(mutations: ["save"]) @aws_api_key }
`);
const caller: Caller = { authMode: 'API_KEY', identity: null, headers: {} };

describe('util.http response headers and subscription invalidation, through the GraphQL engine', () => {
  it('util.http.addResponseHeader(s) set headers on the HTTP response; a header AppSync would refuse is ignored with a ResponseHeaderError, the field carries on', async () => {
    const traced = await resolver(
      'Query.traced',
      `import { util } from '@aws-appsync/utils';
export function request(ctx: any) { return {}; }
export function response(ctx: any) {
  const cases: any = {
    fine: ['x-request-trace', 'abc'], count: ['x-count', 2], cookie: ['set-cookie', 'a=b'],
    restricted: ['x-amzn-RequestId', 'forged'], vary: ['Vary', 'x'], empty: ['', 'x'], spaced: ['x bad', 'x'], nullValue: ['x-null', null],
    crlf: ['x-crlf', 'a\\r\\nInjected: 1'], unicode: ['x-unicode', '€'], big1: ['x-big1', '${'b'.repeat(2500)}'], big2: ['x-big2', '${'b'.repeat(2500)}'],
  };
  const [name, value] = cases[ctx.args.case];
  util.http.addResponseHeader(name, value);
  return 'ok';
}
`,
    );
    const api = createGraphQLApi({ schema, resolvers: new Map([['Query.traced', traced]]) });
    const auth = { apiKey: 'da2-key' } as AuthConfig;
    const server = createServer((req, res) => void handleGraphQL(req, res, api, auth));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const ask = async (query: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'da2-key' },
        body: JSON.stringify({ query }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    };
    const headerError = { errorType: 'ResponseHeaderError', message: expect.stringContaining('header ignored') };
    try {
      const sent = await ask('{ a: traced(case: "fine") b: traced(case: "count") c: traced(case: "cookie") }');
      expect([sent.status, sent.headers.get('x-request-trace'), sent.headers.get('x-count'), sent.headers.get('set-cookie'), sent.body]).toEqual([
        200,
        'abc',
        '2',
        'a=b',
        { data: { a: 'ok', b: 'ok', c: 'ok' } },
      ]);

      for (const refused of ['restricted', 'vary', 'empty', 'spaced', 'nullValue', 'crlf', 'unicode']) {
        const answer = await ask(`{ traced(case: "${refused}") }`);
        expect([refused, answer.status, answer.body]).toEqual([refused, 200, { data: { traced: 'ok' }, errors: [expect.objectContaining(headerError)] }]);
        expect([...answer.headers.keys()].filter((name) => name.startsWith('x-') || name === 'vary')).toEqual([]);
      }

      // 4 KB for the operation: the second field's header would pass it.
      const both = await ask('{ a: traced(case: "big1") b: traced(case: "big2") }');
      expect([both.status, both.headers.get('x-big1')?.length, both.headers.get('x-big2'), both.body]).toEqual([
        200,
        2500,
        null,
        { data: { a: 'ok', b: 'ok' }, errors: [expect.objectContaining({ ...headerError, path: ['b'] })] },
      ]);
    } finally {
      server.close();
    }
  });

  it('extensions.invalidateSubscriptions in a mutation ends the subscriptions whose invalidation filter matches its payload', async () => {
    const onSave = await resolver(
      'Subscription.onSave',
      `import { extensions, util } from '@aws-appsync/utils';
export function request(ctx: any) { return {}; }
export function response(ctx: any) {
  extensions.setSubscriptionInvalidationFilter(util.transform.toSubscriptionFilter(ctx.args.anyGroup ? {} : { group: { eq: ctx.args.group } }));
  return null;
}
`,
    );
    const removeGroup = await resolver(
      'Mutation.removeGroup',
      `import { extensions } from '@aws-appsync/utils';
export function request(ctx: any) { return {}; }
export function response(ctx: any) {
  for (const _call of Array(ctx.args.times ?? 1).fill(0)) extensions.invalidateSubscriptions({ subscriptionField: 'onSave', payload: { group: ctx.args.group } });
  return { id: 'g', group: ctx.args.group };
}
`,
    );
    const hub = new SubscriptionHub();
    const api = createGraphQLApi({
      schema,
      resolvers: new Map([
        ['Subscription.onSave', onSave],
        ['Mutation.removeGroup', removeGroup],
      ]),
      onInvalidation: (i) => hub.invalidate(i),
    });
    const ended: string[] = [];
    for (const [group, anyGroup] of [
      ['red', false],
      ['blue', false],
      ['green', true],
    ]) {
      const outcome = await api.subscribe({ query: `subscription { onSave(group: "${group}", anyGroup: ${anyGroup}) { id } }` }, caller);
      if ('errors' in outcome) throw new Error(JSON.stringify(outcome.errors));
      hub.add(
        outcome.subscription,
        () => {},
        () => ended.push(group as string),
      );
    }

    // Six calls in one request: over AWS's five, refused, nothing ended.
    const overLimit = await api.execute({ query: 'mutation { removeGroup(group: "red", times: 6) { id } }' }, caller);
    expect(overLimit.errors).toEqual([
      expect.objectContaining({ errorType: 'InvalidationLimitExceeded', message: expect.stringContaining('at most 5 times in a request') }),
    ]);
    expect(ended).toEqual([]);

    await api.execute({ query: 'mutation { removeGroup(group: "red", times: 5) { id } }' }, caller);

    // An empty invalidation filter (green's) matches nothing.
    expect(ended).toEqual(['red']);
    expect(hub.size).toBe(2);
  });

  it.each([
    [
      'invalidateSubscriptions',
      'Query',
      'response',
      "extensions.invalidateSubscriptions({ subscriptionField: 'onSave', payload: {} })",
      'a Mutation resolver, not in the response handler of a Query field',
    ],
    [
      'invalidateSubscriptions',
      'Mutation',
      'request',
      "extensions.invalidateSubscriptions({ subscriptionField: 'onSave', payload: {} })",
      'a Mutation resolver, not in the request handler of a Mutation field',
    ],
    [
      'setSubscriptionFilter',
      'Mutation',
      'response',
      'extensions.setSubscriptionFilter({ filterGroup: [] })',
      'a Subscription resolver, not in the response handler of a Mutation field',
    ],
    [
      'setSubscriptionInvalidationFilter',
      'Subscription',
      'request',
      'extensions.setSubscriptionInvalidationFilter({ filterGroup: [] })',
      'a Subscription resolver, not in the request handler of a Subscription field',
    ],
  ])("extensions.%s in a %s resolver's %s handler fails, naming where it may be used", async (_method, parentTypeName, phase, call, where) => {
    const handlers =
      phase === 'request'
        ? `export function request(ctx: any) { ${call}; return {}; }\nexport function response(ctx: any) { return 1; }`
        : `export function request(ctx: any) { return {}; }\nexport function response(ctx: any) { ${call}; return 1; }`;
    const code = await resolver(`${parentTypeName}.f`, `import { extensions } from '@aws-appsync/utils';\n${handlers}\n`);

    const { data, errors } = await executeResolver(code, { ...invocation, info: { ...invocation.info, parentTypeName } });

    expect([data, errors]).toEqual([null, [{ errorType: 'Code', message: expect.stringContaining(`can be used only in the response handler of ${where}`) }]]);
  });
});
