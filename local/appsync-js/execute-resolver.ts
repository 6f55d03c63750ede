/**
 * Runs a pipeline resolver as AppSync does: the resolver's request, then
 * each function's request → data source → response (ctx.prev.result
 * carrying each step's output), then the resolver's response; util.error
 * stops with a field error, runtime.earlyReturn skips ahead.
 */
import type { ResolverCode } from './load-code';
import type { ResponseHeaders } from './http-util';
import { EarlyReturnSignal, ResolverErrorSignal, type FieldError } from './signals';
import type { SubscriptionFilter } from './transform';
import { withScope, type InvocationScope, type SubscriptionInvalidation } from './util';

export interface DataSourceError {
  message: string;
  type: string;
}

export interface DataSourceOutcome {
  result?: unknown;
  error?: DataSourceError;
}

/** Which function calls a data source, and within which GraphQL request (what AppSync batches over). */
export interface DataSourceCall {
  functionName: string;
  /** The function's maxBatchSize: BatchInvoke requests of one GraphQL request are gathered up to it. */
  maxBatchSize?: number;
  /** One object per GraphQL request. */
  requestScope: object;
}

/** A data source receives the request a function's request handler built. */
export interface DataSource {
  invoke(request: unknown, ctx: ResolverContext, call: DataSourceCall): Promise<DataSourceOutcome>;
}

export interface RequestInfo {
  fieldName: string;
  parentTypeName: string;
  variables: Record<string, unknown>;
  selectionSetList: string[];
  selectionSetGraphQL: string;
}

/** What AppSync knows about the call before any code runs. */
export interface FieldInvocation {
  arguments: Record<string, unknown>;
  identity: unknown;
  source: unknown;
  request: { headers: Record<string, string>; domainName: string | null };
  info: RequestInfo;
  /** As util.authType() reports it, e.g. "API Key Authorization". */
  authType: string;
  /** One object per GraphQL request, shared by all its fields: batched data sources gather calls by it. */
  requestScope?: object;
  /** The operation's util.http response headers, shared by all its fields (AppSync's 4 KB is per operation). */
  responseHeaders?: ResponseHeaders;
}

export interface ResolverContext {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: unknown;
  source: unknown;
  request: FieldInvocation['request'];
  info: RequestInfo;
  stash: Record<string, unknown>;
  prev: { result?: unknown };
  result?: unknown;
  error?: DataSourceError;
}

export interface PipelineFunction {
  name: string;
  code: ResolverCode;
  dataSource: DataSource;
  maxBatchSize?: number;
}

export interface PipelineResolver {
  name: string;
  code: ResolverCode;
  functions: readonly PipelineFunction[];
}

export interface FieldOutcome {
  data: unknown;
  errors: FieldError[];
  subscriptionFilter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
  invalidations?: SubscriptionInvalidation[];
  responseHeaders?: ResponseHeaders;
}

type Phase = NonNullable<InvocationScope['phase']>;
type Step<T> = { kind: 'value'; value: T } | { kind: 'early'; signal: EarlyReturnSignal };

export async function executeResolver(resolver: PipelineResolver, invocation: FieldInvocation): Promise<FieldOutcome> {
  const scope: InvocationScope = {
    appendedErrors: [],
    authType: invocation.authType,
    responseHeaders: invocation.responseHeaders,
    parentTypeName: invocation.info.parentTypeName,
  };
  const ctx: ResolverContext = {
    arguments: invocation.arguments,
    args: invocation.arguments,
    identity: invocation.identity,
    source: invocation.source,
    request: invocation.request,
    info: invocation.info,
    stash: {},
    prev: {},
  };
  const outcome = (data: unknown, extra: FieldError[] = []): FieldOutcome => {
    const { appendedErrors, authType: _authType, parentTypeName: _type, phase: _phase, ...extensions } = scope;
    return { data, errors: [...appendedErrors, ...extra], ...extensions };
  };
  const run = <T>(where: string, phase: Phase, handler: () => T): Step<T> => {
    scope.phase = phase;
    try {
      return { kind: 'value', value: withScope(scope, handler) };
    } catch (thrown) {
      if (thrown instanceof EarlyReturnSignal) return { kind: 'early', signal: thrown };
      if (thrown instanceof ResolverErrorSignal) throw thrown;
      throw new ResolverErrorSignal({ message: `Runtime error in ${where}: ${(thrown as Error)?.message ?? thrown}`, errorType: 'Code' });
    }
  };

  try {
    const start = run(`${resolver.name} request`, 'request', () => resolver.code.request(ctx));
    ctx.prev = { result: start.kind === 'value' ? start.value : start.signal.result };
    if (start.kind === 'value') {
      for (const fn of resolver.functions) {
        const step = await runFunction(fn, ctx, run, invocation.requestScope ?? ctx);
        ctx.prev = { result: step.kind === 'value' ? step.value : step.signal.result };
        if (step.kind === 'early' && step.signal.skipTo === 'END') break;
      }
    }
    ctx.result = ctx.prev.result;
    ctx.error = undefined;
    const end = run(`${resolver.name} response`, 'response', () => resolver.code.response(ctx));
    return outcome(end.kind === 'value' ? end.value : end.signal.result);
  } catch (thrown) {
    if (thrown instanceof ResolverErrorSignal) return outcome(null, [thrown.error]);
    throw thrown;
  }
}

async function runFunction(
  fn: PipelineFunction,
  ctx: ResolverContext,
  run: <T>(where: string, phase: Phase, handler: () => T) => Step<T>,
  requestScope: object,
): Promise<Step<unknown>> {
  ctx.result = undefined;
  ctx.error = undefined;
  const request = run(`function ${fn.name} request`, 'request', () => fn.code.request(ctx));
  if (request.kind === 'early') return request;
  const { result, error } = await fn.dataSource.invoke(request.value, ctx, { functionName: fn.name, maxBatchSize: fn.maxBatchSize, requestScope });
  ctx.result = result;
  ctx.error = error;
  return run(`function ${fn.name} response`, 'response', () => fn.code.response(ctx));
}
