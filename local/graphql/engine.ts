/**
 * Runs a parsed document as AppSync does: each field's auth directives
 * checked for the caller, root fields resolved by their bundled APPSYNC_JS
 * pipelines, plain fields read from their parent. What a request did besides
 * answering (mutation events, invalidations, response headers, a
 * subscription's filters) is gathered in its ExecutionContext.
 */
import {
  defaultFieldResolver,
  execute,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { executeResolver, type PipelineResolver } from '../appsync-js/execute-resolver';
import { newResponseHeaders, type ResponseHeaders } from '../appsync-js/http-util';
import type { SubscriptionFilter } from '../appsync-js/transform';
import type { SubscriptionInvalidation } from '../appsync-js/util';
import { authTypeNames, fieldAccess, type FieldAccess } from './auth-modes';
import { FieldResolutionError, toAppSyncError, unauthorizedField, type AppSyncError } from './errors';
import type { Caller, GraphQLRequest, GraphQLResponse, MutationEvent } from './graphql-api';
import { resolverLimitError, type RequestLimits } from './request-limits';
import { projectSelected, selectionSetGraphQL, selectionSetList } from './selection';

export interface ExecutionContext {
  caller: Caller;
  appended: AppSyncError[];
  mutationEvents: MutationEvent[];
  /** Resolvers this request has run, against limits.resolverCount. */
  resolversRun: number;
  /** extensions.invalidateSubscriptions() calls of the mutation's fields. */
  invalidations: SubscriptionInvalidation[];
  /** util.http.addResponseHeader(s) of any field, as they are added. */
  responseHeaders: ResponseHeaders;
  /** Set when resolving a subscription's own field at subscribe time; `authorized` once its resolver ran to the end. */
  subscribeOutcome?: { filter?: SubscriptionFilter; invalidationFilter?: SubscriptionFilter; authorized?: boolean };
}

const callerGroups = (caller: Caller): string[] => ((caller.identity as { groups?: string[] | null } | null)?.groups ?? []) as string[];

/** AWS's extensions page: at most five invalidateSubscriptions calls in one request. */
const MAX_INVALIDATIONS_PER_REQUEST = 5;

export function createEngine({ schema, resolvers, limits }: { schema: GraphQLSchema; resolvers: Map<string, PipelineResolver>; limits: RequestLimits }) {
  const newContext = (caller: Caller): ExecutionContext => ({
    caller,
    appended: [],
    mutationEvents: [],
    resolversRun: 0,
    invalidations: [],
    responseHeaders: newResponseHeaders(),
  });

  // What each schema field needs, worked out on first use: its auth rule and its resolver (if any).
  const fieldPlans = new WeakMap<object, { access: FieldAccess; resolver?: PipelineResolver }>();
  const planOf = (info: GraphQLResolveInfo) => {
    const field = info.parentType.getFields()[info.fieldName];
    let plan = fieldPlans.get(field);
    if (!plan) {
      plan = { access: fieldAccess(schema, info.parentType, field), resolver: resolvers.get(`${info.parentType.name}.${info.fieldName}`) };
      fieldPlans.set(field, plan);
    }
    return plan;
  };

  /** Throws AppSync's Unauthorized for a field the caller may not read; else the field's plan, for the resolver to use. */
  const checkAccess = (caller: Caller, info: GraphQLResolveInfo) => {
    const plan = planOf(info);
    const { access } = plan;
    const allowed =
      access.modes.has(caller.authMode) &&
      !(caller.authMode === 'AMAZON_COGNITO_USER_POOLS' && access.cognitoGroups && !access.cognitoGroups.some((g) => callerGroups(caller).includes(g)));
    if (!allowed) throw unauthorizedField(info.fieldName, info.parentType.name);
    return plan;
  };

  /**
   * What checkAccess reads of a caller, as a key: a subscription's render depends on nothing else of who
   * subscribed, so subscribers with the same document, variables and access key get the same payload.
   */
  const accessKey = (caller: Caller): unknown[] =>
    caller.authMode === 'AMAZON_COGNITO_USER_POOLS' ? [caller.authMode, [...callerGroups(caller)].sort()] : [caller.authMode];

  // Synchronous for plain fields: a page of 20 files has 200 of them, and a promise each would double the work.
  const fieldResolver: GraphQLFieldResolver<unknown, ExecutionContext> = (source, args, context, info) => {
    const { resolver } = checkAccess(context.caller, info);
    if (resolver) return resolveWith(resolver, source, args, context, info);
    return info.operation.operation === 'subscription' && !info.path.prev
      ? ((source as Record<string, unknown>)?.[info.fieldName] ?? null)
      : defaultFieldResolver(source, args, context, info);
  };

  const resolveWith = async (
    resolver: PipelineResolver,
    source: unknown,
    args: Record<string, unknown>,
    context: ExecutionContext,
    info: GraphQLResolveInfo,
  ) => {
    const isRoot = !info.path.prev;
    // A page's items each run their own resolvers: the count the document check could not know.
    if (++context.resolversRun > limits.resolverCount) {
      const { message, errorType } = resolverLimitError();
      throw new FieldResolutionError({ message, errorType });
    }
    const outcome = await executeResolver(resolver, {
      arguments: args,
      identity: context.caller.identity,
      source: source ?? null,
      request: { headers: context.caller.headers, domainName: null },
      info: {
        fieldName: info.fieldName,
        parentTypeName: info.parentType.name,
        variables: info.variableValues,
        selectionSetList: selectionSetList(info.fieldNodes, info.fragments),
        selectionSetGraphQL: selectionSetGraphQL(info.fieldNodes),
      },
      authType: authTypeNames[context.caller.authMode],
      requestScope: context,
      responseHeaders: context.responseHeaders,
    });
    const path = [...(info.path.key !== undefined ? [info.path.key] : [])];
    const [first, ...rest] = outcome.errors;
    const failed = outcome.data === null && first;
    for (const error of failed ? rest : outcome.errors) {
      context.appended.push(toAppSyncError(new GraphQLError(error.message, { path, originalError: new FieldResolutionError(error) })));
    }
    if (failed) throw new FieldResolutionError(first);
    if (context.subscribeOutcome && isRoot) {
      Object.assign(context.subscribeOutcome, { filter: outcome.subscriptionFilter, invalidationFilter: outcome.invalidationFilter, authorized: true });
    }
    if (info.operation.operation === 'mutation' && isRoot) {
      if (context.invalidations.length + (outcome.invalidations?.length ?? 0) > MAX_INVALIDATIONS_PER_REQUEST) {
        throw new FieldResolutionError({
          message: `extensions.invalidateSubscriptions may be called at most ${MAX_INVALIDATIONS_PER_REQUEST} times in a request.`,
          errorType: 'InvalidationLimitExceeded',
        });
      }
      context.invalidations.push(...(outcome.invalidations ?? []));
      if (outcome.data)
        context.mutationEvents.push({
          fieldName: info.fieldName,
          value: projectSelected(outcome.data, info.fieldNodes, info.fragments) as Record<string, unknown>,
        });
    }
    return outcome.data;
  };

  /** Runs `document` as the request asks, with the field resolver unless told otherwise. */
  const run = (document: DocumentNode, request: GraphQLRequest, context: ExecutionContext, options: Partial<Parameters<typeof execute>[0]> = {}) =>
    execute({
      schema,
      document,
      operationName: request.operationName ?? undefined,
      variableValues: request.variables ?? undefined,
      contextValue: context,
      fieldResolver,
      ...options,
    });

  const respond = (result: ExecutionResult, context: ExecutionContext): GraphQLResponse => {
    const errors = [...(result.errors ?? []).map((e) => toAppSyncError(e)), ...context.appended];
    return { data: (result.data as Record<string, unknown> | null | undefined) ?? null, ...(errors.length ? { errors } : {}) };
  };

  return { newContext, checkAccess, accessKey, run, respond };
}

export type Engine = ReturnType<typeof createEngine>;
