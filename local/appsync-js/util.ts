/**
 * The `util`, `runtime` and `extensions` objects that `@aws-appsync/utils`
 * only declares: the published package is types only, so the local runtime
 * provides them. They act on the invocation in progress, which the executor
 * sets around each (synchronous) handler call.
 */
import { randomUUID } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { dynamodbUtil } from './dynamodb-values';
import { EarlyReturnSignal, ResolverErrorSignal, type FieldError } from './signals';
import { httpUtil, newResponseHeaders, type ResponseHeaders } from './http-util';
import { mathUtil } from './math-util';
import { notSupportedLocally, rdsUtil, xmlUtil } from './not-supported';
import { timeUtil } from './time';
import { transformUtil, type SubscriptionFilter } from './transform';

/** extensions.invalidateSubscriptions(): which subscriptions of a field to end, by their invalidation filters. */
export interface SubscriptionInvalidation {
  subscriptionField: string;
  payload: Record<string, unknown>;
}

export interface InvocationScope {
  /** Errors recorded by util.appendError, in order. */
  appendedErrors: FieldError[];
  subscriptionFilter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
  invalidations?: SubscriptionInvalidation[];
  /** util.http.addResponseHeader(s): headers for the HTTP response of the GraphQL operation (shared by its fields). */
  responseHeaders?: ResponseHeaders;
  authType: string;
  /** Where the code runs: the resolver's type (Mutation, Subscription…) and the handler, for the extensions that only some may call. */
  parentTypeName: string;
  phase?: 'request' | 'response';
}

let activeScope: InvocationScope | undefined;

/** Runs `handler` with util/extensions bound to `scope`. */
export function withScope<T>(scope: InvocationScope, handler: () => T): T {
  const previous = activeScope;
  activeScope = scope;
  try {
    return handler();
  } finally {
    activeScope = previous;
  }
}

function scope(): InvocationScope {
  if (!activeScope) throw new Error('util used outside a resolver invocation');
  return activeScope;
}

const ulid = monotonicFactory();
const KSUID_EPOCH = 1_400_000_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function autoKsuid(): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.floor(Date.now() / 1000) - KSUID_EPOCH, 0);
  crypto.getRandomValues(bytes.subarray(4));
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (value > 0n) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(27, '0');
}

const errorOf = (message: string, errorType?: string, data?: unknown, errorInfo?: unknown): FieldError => ({
  message,
  ...(errorType !== undefined ? { errorType } : {}),
  ...(data !== undefined ? { data } : {}),
  ...(errorInfo !== undefined ? { errorInfo } : {}),
});

export const util = {
  error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
    throw new ResolverErrorSignal(errorOf(message, errorType, data, errorInfo));
  },
  appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
    scope().appendedErrors.push(errorOf(message, errorType, data, errorInfo));
  },
  unauthorized(): never {
    throw new ResolverErrorSignal({ message: 'Unauthorized', errorType: 'Unauthorized' });
  },
  authType: (): string => scope().authType,
  autoId: (): string => randomUUID(),
  autoUlid: (): string => ulid(),
  autoKsuid,
  base64Encode: (value: string): string => Buffer.from(value, 'utf8').toString('base64'),
  base64Decode: (value: string): string => Buffer.from(value, 'base64').toString('utf8'),
  urlEncode: (value: string): string => new URLSearchParams({ v: value }).toString().slice(2),
  urlDecode: (value: string): string => new URLSearchParams(`v=${value}`).get('v') ?? '',
  escapeJavaScript: (value: string): string => JSON.stringify(value).slice(1, -1).replaceAll("'", "\\'"),
  matches: (pattern: string, value: string): boolean => new RegExp(`^(?:${pattern})$`).test(value),
  isNull: (value: unknown): boolean => value === null || value === undefined,
  isNullOrEmpty: (value: unknown): boolean => value === null || value === undefined || value === '',
  isNullOrBlank: (value: unknown): boolean => value === null || value === undefined || String(value).trim() === '',
  defaultIfNull: <T>(value: T, fallback: T): T => (value === null || value === undefined ? fallback : value),
  defaultIfNullOrEmpty: <T>(value: T, fallback: T): T => (value === null || value === undefined || value === '' ? fallback : value),
  str: {
    normalize: (value: string, form: 'nfc' | 'nfd' | 'nfkc' | 'nfkd'): string => value.normalize(form.toUpperCase()),
  },
  time: timeUtil,
  dynamodb: dynamodbUtil,
  transform: { ...transformUtil, toElasticsearchQueryDSL: notSupportedLocally('util.transform.toElasticsearchQueryDSL') },
  math: mathUtil,
  http: httpUtil(
    () => (scope().responseHeaders ??= newResponseHeaders()),
    (error) => scope().appendedErrors.push(error),
  ),
  xml: xmlUtil,
  rds: rdsUtil,
};

export const runtime = {
  earlyReturn(result?: unknown, options?: { skipTo: 'END' | 'NEXT' }): never {
    throw new EarlyReturnSignal(result, options?.skipTo);
  },
};

/** AWS's extensions page: the subscription extensions work only in a response handler, of a subscription or a mutation resolver. */
function responseOf(typeName: 'Mutation' | 'Subscription', method: string): InvocationScope {
  const current = scope();
  if (current.parentTypeName !== typeName || current.phase !== 'response') {
    throw new Error(
      `extensions.${method} can be used only in the response handler of a ${typeName} resolver, not in the ${current.phase} handler of a ${current.parentTypeName} field.`,
    );
  }
  return current;
}

export const extensions = {
  setSubscriptionFilter(filter: SubscriptionFilter): void {
    responseOf('Subscription', 'setSubscriptionFilter').subscriptionFilter = filter;
  },
  setSubscriptionInvalidationFilter(filter: SubscriptionFilter): void {
    responseOf('Subscription', 'setSubscriptionInvalidationFilter').invalidationFilter = filter;
  },
  invalidateSubscriptions(invalidation: SubscriptionInvalidation): void {
    (responseOf('Mutation', 'invalidateSubscriptions').invalidations ??= []).push(invalidation);
  },
  evictFromApiCache(): void {
    // The local server has no resolver cache: there is nothing to evict.
  },
};
