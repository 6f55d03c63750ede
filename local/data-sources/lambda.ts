/**
 * The AWS_LAMBDA data source: the bundled handler, invoked in-process with
 * the request's payload as its event. A thrown error reaches the resolver
 * as ctx.error of type Lambda:Unhandled, as on AWS.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { FUNCTION_TIMEOUT_SECONDS, type Env } from '../../functions/core/config';
import type { LambdaEntry } from '../../functions/core/lambda-entry';
import type { DataSource, DataSourceCall, DataSourceOutcome } from '../appsync-js/execute-resolver';

export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

/** An invocation's context, with the deadline the CDK stack gives the function (FUNCTION_TIMEOUT_SECONDS). */
export function invocationContext(functionName: string, awsRequestId: string = randomUUID()): LambdaContext {
  const deadline = Date.now() + FUNCTION_TIMEOUT_SECONDS * 1000;
  return { awsRequestId, functionName, getRemainingTimeInMillis: () => deadline - Date.now() };
}

/**
 * A Lambda container of the bundle whose settings are `env`, never
 * process.env. `container` names a module instance of its own, as a fresh
 * container has its own module state.
 */
export async function loadLambdaHandler(bundlePath: string, env: Env, container?: string): Promise<LambdaHandler> {
  const url = pathToFileURL(bundlePath);
  if (container) url.searchParams.set('container', container);
  const module = (await import(url.href)) as Partial<LambdaEntry>;
  if (typeof module.createHandler !== 'function') throw new Error(`${bundlePath} exports no createHandler`);
  return module.createHandler(env) as LambdaHandler;
}

/**
 * A handler whose bundle loads when first needed, as a Lambda container
 * initialises on its first invocation. Loading the AWS SDK inside a bundle
 * takes a few hundred milliseconds: `warm()` starts it without making the
 * server wait for it.
 */
export function lazyLambdaHandler(bundlePath: string, env: Env, container?: string): LambdaHandler & { warm(): void } {
  let loading: Promise<LambdaHandler> | undefined;
  const load = () => (loading ??= loadLambdaHandler(bundlePath, env, container));
  const handler = async (event: unknown, context: LambdaContext) => (await load())(event, context);
  return Object.assign(handler, {
    warm() {
      // A failure here is reported by the first invocation, which awaits the same load.
      load().catch(() => {});
    },
  });
}

/** Invocations per Lambda, as CloudWatch's Invocations metric counts them: a BatchInvoke event is one. */
export type InvocationCounts = Map<string, number>;

interface PendingBatch {
  payloads: unknown[];
  settle: ((outcome: DataSourceOutcome) => void)[];
}

/**
 * The AWS_LAMBDA data source. `Invoke` calls the handler with the payload;
 * `BatchInvoke` gathers the calls one GraphQL request makes through one
 * function (e.g. downloadUrl for every file of a page) into events of up to
 * its maxBatchSize payloads, as AppSync does: the handler gets the list and
 * answers a list in the same order, each element the ctx.result of its call.
 */
export function lambdaDataSource(functionName: string, handler: LambdaHandler, counts?: InvocationCounts): DataSource {
  const batches = new WeakMap<object, Map<string, PendingBatch>>();

  async function call(event: unknown): Promise<DataSourceOutcome> {
    counts?.set(functionName, (counts.get(functionName) ?? 0) + 1);
    try {
      return { result: (await handler(event, invocationContext(functionName))) ?? null };
    } catch (error) {
      return { error: { type: 'Lambda:Unhandled', message: (error as Error)?.message ?? String(error) } };
    }
  }

  async function flush(batch: PendingBatch): Promise<void> {
    const outcome = await call(batch.payloads);
    const results = outcome.result;
    batch.settle.forEach((settle, i) => {
      if (outcome.error) return settle({ error: outcome.error });
      if (!Array.isArray(results) || results.length !== batch.payloads.length) {
        return settle({
          error: { type: 'Lambda:Unhandled', message: `A BatchInvoke of ${batch.payloads.length} payloads must answer a list of as many results.` },
        });
      }
      settle({ result: results[i] ?? null });
    });
  }

  function enqueue(payload: unknown, batchCall: DataSourceCall): Promise<DataSourceOutcome> {
    const byFunction = batches.get(batchCall.requestScope) ?? new Map<string, PendingBatch>();
    batches.set(batchCall.requestScope, byFunction);
    let batch = byFunction.get(batchCall.functionName);
    if (!batch) {
      const fresh: PendingBatch = (batch = { payloads: [], settle: [] });
      byFunction.set(batchCall.functionName, fresh);
      // Sibling fields start their calls in the same turn of the event loop: send what gathered by the next one.
      setImmediate(() => {
        if (byFunction.get(batchCall.functionName) === fresh) byFunction.delete(batchCall.functionName);
        if (fresh.payloads.length) void flush(fresh);
      });
    }
    const gathering = batch;
    const outcome = new Promise<DataSourceOutcome>((resolve) => gathering.settle.push(resolve));
    gathering.payloads.push(payload);
    if (gathering.payloads.length >= (batchCall.maxBatchSize ?? 1)) {
      byFunction.delete(batchCall.functionName);
      void flush({ payloads: gathering.payloads.splice(0), settle: gathering.settle.splice(0) });
    }
    return outcome;
  }

  return {
    invoke(request, _ctx, dataSourceCall) {
      const { operation, payload } = request as { operation?: string; payload?: unknown };
      if (operation === 'Invoke') return call(payload ?? null);
      if (operation === 'BatchInvoke') return enqueue(payload ?? null, dataSourceCall);
      return Promise.resolve({
        error: { type: 'Lambda:Unsupported', message: `The Lambda data source supports operations "Invoke" and "BatchInvoke", not "${operation}".` },
      });
    },
  };
}
