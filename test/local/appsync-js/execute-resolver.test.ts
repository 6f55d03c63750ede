import { describe, expect, it } from 'vitest';
import { executeResolver, type DataSource, type FieldInvocation, type PipelineFunction } from '../../../local/appsync-js/execute-resolver';
import { noneDataSource } from '../../../local/data-sources/none';
import { loadAppsyncSource } from '../../support/appsync-code';

/** Bundles APPSYNC_JS source the way the project's build does, then loads it in the local runtime. */
const code = loadAppsyncSource;

const invocation: FieldInvocation = {
  arguments: { id: 'a' },
  identity: null,
  source: null,
  request: { headers: {}, domainName: null },
  info: { fieldName: 'f', parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
  authType: 'API Key Authorization',
};

const passThrough = `export function request(ctx) { return {}; } export function response(ctx) { return ctx.prev.result; }`;

async function fn(name: string, source: string, dataSource: DataSource = noneDataSource): Promise<PipelineFunction> {
  return { name, code: await code(source), dataSource };
}

describe('pipeline execution (local APPSYNC_JS runtime)', () => {
  it('threads ctx.prev.result and ctx.stash through the functions', async () => {
    const first = await fn(
      'first',
      `export function request(ctx) { ctx.stash.seen = ['first']; return { payload: ctx.args.id + '1' }; } export function response(ctx) { return ctx.result; }`,
    );
    const second = await fn(
      'second',
      `export function request(ctx) { ctx.stash.seen.push('second'); return { payload: ctx.prev.result + '2' }; } export function response(ctx) { return { value: ctx.result, seen: ctx.stash.seen }; }`,
    );

    const outcome = await executeResolver({ name: 'Query.f', code: await code(passThrough), functions: [first, second] }, invocation);

    expect(outcome).toEqual({ data: { value: 'a12', seen: ['first', 'second'] }, errors: [] });
  });

  it('util.error makes the field null with the errorType, data and errorInfo given', async () => {
    const failing = await fn(
      'failing',
      `import { util } from '@aws-appsync/utils'; export function request(ctx) { util.error('nope', 'ValidationError', { a: 1 }, { hint: 'x' }); } export function response(ctx) { return 1; }`,
    );

    const outcome = await executeResolver({ name: 'Query.f', code: await code(passThrough), functions: [failing] }, invocation);

    expect(outcome).toEqual({ data: null, errors: [{ message: 'nope', errorType: 'ValidationError', data: { a: 1 }, errorInfo: { hint: 'x' } }] });
  });

  it('util.appendError records an error and goes on', async () => {
    const appending = await fn(
      'appending',
      `import { util } from '@aws-appsync/utils'; export function request(ctx) { util.appendError('partial', 'Warning'); return { payload: 'ok' }; } export function response(ctx) { return ctx.result; }`,
    );

    const outcome = await executeResolver({ name: 'Query.f', code: await code(passThrough), functions: [appending] }, invocation);

    expect(outcome).toEqual({ data: 'ok', errors: [{ message: 'partial', errorType: 'Warning' }] });
  });

  it('runtime.earlyReturn in a function skips its data source and response, then goes on', async () => {
    let invoked = false;
    const spy: DataSource = { invoke: async () => ((invoked = true), { result: 'from data source' }) };
    const early = await fn(
      'early',
      `import { runtime } from '@aws-appsync/utils'; export function request(ctx) { runtime.earlyReturn('early'); } export function response(ctx) { return 'response ran'; }`,
      spy,
    );
    const next = await fn(
      'next',
      `export function request(ctx) { return { payload: ctx.prev.result + '+next' }; } export function response(ctx) { return ctx.result; }`,
    );

    const outcome = await executeResolver({ name: 'Query.f', code: await code(passThrough), functions: [early, next] }, invocation);

    expect(outcome.data).toBe('early+next');
    expect(invoked).toBe(false);
  });

  it("runtime.earlyReturn with skipTo END goes straight to the resolver's response", async () => {
    const early = await fn(
      'early',
      `import { runtime } from '@aws-appsync/utils'; export function request(ctx) { runtime.earlyReturn('done', { skipTo: 'END' }); } export function response(ctx) { return 'x'; }`,
    );
    const never = await fn(
      'never',
      `import { util } from '@aws-appsync/utils'; export function request(ctx) { util.error('must not run'); } export function response(ctx) { return 'x'; }`,
    );

    const outcome = await executeResolver({ name: 'Query.f', code: await code(passThrough), functions: [early, never] }, invocation);

    expect(outcome).toEqual({ data: 'done', errors: [] });
  });

  it('hands data-source errors to the response as ctx.error', async () => {
    const failingSource: DataSource = { invoke: async () => ({ error: { message: 'boom', type: 'DynamoDB:ConditionalCheckFailedException' } }) };
    const reading = await fn('reading', `export function request(ctx) { return {}; } export function response(ctx) { return ctx.error; }`, failingSource);

    const outcome = await executeResolver({ name: 'Query.f', code: await code(passThrough), functions: [reading] }, invocation);

    expect(outcome.data).toEqual({ message: 'boom', type: 'DynamoDB:ConditionalCheckFailedException' });
  });

  it('runs resolver code without Node globals (no process, timers, network), and reports its runtime errors without a stack', async () => {
    const probing = await fn(
      'probing',
      `export function request(ctx) { return { payload: [typeof process, typeof setTimeout, typeof fetch, typeof Buffer].join() }; } export function response(ctx) { return ctx.result; }`,
    );
    const crashing = await fn('crashing', `export function request(ctx) { return ctx.args.missing.field; } export function response(ctx) { return 1; }`);

    const probe = await executeResolver({ name: 'Query.f', code: await code(passThrough), functions: [probing] }, invocation);
    const crash = await executeResolver({ name: 'Query.f', code: await code(passThrough), functions: [crashing] }, invocation);

    expect(probe.data).toBe('undefined,undefined,undefined,undefined');
    expect(crash.data).toBeNull();
    expect(crash.errors).toEqual([{ errorType: 'Code', message: expect.stringMatching(/^Runtime error in function crashing request: .*field/) }]);
    expect(crash.errors[0].message).not.toMatch(/\n|\.js:/);
  });

  it('gives util.time, util.autoId and util.dynamodb to resolver code', async () => {
    const utils = await fn(
      'utils',
      `import { util } from '@aws-appsync/utils';
      export function request(ctx) {
        return { payload: {
          id: util.autoId(),
          formatted: util.time.epochMilliSecondsToFormatted(0, 'yyyy-MM-dd HH:mm', 'Europe/Paris'),
          parsed: util.time.parseFormattedToEpochMilliSeconds('1970-01-01 01:00', 'yyyy-MM-dd HH:mm', 'Europe/Paris'),
          iso: util.time.epochMilliSecondsToISO8601(1000),
          item: util.dynamodb.toMapValues({ a: 1, b: 'x', c: [true] }),
        } };
      }
      export function response(ctx) { return ctx.result; }`,
    );

    const outcome = await executeResolver({ name: 'Query.f', code: await code(passThrough), functions: [utils] }, invocation);

    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      formatted: '1970-01-01 01:00',
      parsed: 0,
      iso: '1970-01-01T00:00:01.000Z',
      item: { a: { N: '1' }, b: { S: 'x' }, c: { L: [{ BOOL: true }] } },
    });
  });
});
