/**
 * AppSync's GraphQL engine, locally: parse and validate against the
 * schema, enforce each field's auth directives, resolve root fields with the
 * bundled APPSYNC_JS resolvers, and tell subscribers about mutations.
 */
import {
  defaultFieldResolver,
  execute,
  getOperationAST,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type FieldDefinitionNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type SelectionSetNode,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  Kind,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { requestLimits } from '../../infra/api-definition';
import { executeResolver, type PipelineResolver } from '../appsync-js/execute-resolver';
import { newResponseHeaders, type ResponseHeaders } from '../appsync-js/http-util';
import { authTypeNames, fieldAccess, type AuthMode, type FieldAccess } from './auth-modes';
import { FieldResolutionError, requestError, toAppSyncError, unauthorizedField, type AppSyncError } from './errors';
import { documentCache } from './document-cache';
import { checkDocumentLimits, executionTimeoutError, resolverLimitError, withinTime, type RequestLimits } from './request-limits';
import type { SubscriptionInvalidation } from '../appsync-js/util';
import { projectSelected, selectionSetGraphQL, selectionSetList } from './selection';
import { matchesFilter, type SubscriptionFilterShape } from './subscription-filter';

export interface Caller {
  authMode: AuthMode;
  /** ctx.identity: null for API keys. */
  identity: unknown;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
}

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: AppSyncError[];
}

/** A mutation field that succeeded: what its subscribers may be told. */
export interface MutationEvent {
  fieldName: string;
  /** The resolver's result, cut down to the fields the mutation selected. */
  value: Record<string, unknown>;
}

interface ExecutionContext {
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
  subscribeOutcome?: { filter?: unknown; invalidationFilter?: unknown; authorized?: boolean };
}

type Parsed = { document: DocumentNode; operation: OperationDefinitionNode } | { errors: AppSyncError[] };

export interface GraphQLApiOptions {
  schema: GraphQLSchema;
  resolvers: Map<string, PipelineResolver>;
  /** Called after each mutation field that succeeded. */
  onMutation?: (event: MutationEvent) => void;
  /** Called for each extensions.invalidateSubscriptions() of a mutation that succeeded. */
  onInvalidation?: (invalidation: SubscriptionInvalidation) => void;
  /** AppSync's per-request quotas (request-limits.ts); the API definition's by default. */
  limits?: RequestLimits;
}

const callerGroups = (caller: Caller): string[] => ((caller.identity as { groups?: string[] | null } | null)?.groups ?? []) as string[];

/** AWS's extensions page: at most five invalidateSubscriptions calls in one request. */
const MAX_INVALIDATIONS_PER_REQUEST = 5;

export function createGraphQLApi({ schema, resolvers, onMutation, onInvalidation, limits = requestLimits }: GraphQLApiOptions) {
  const newContext = (caller: Caller): ExecutionContext => ({ caller, appended: [], mutationEvents: [], resolversRun: 0, invalidations: [], responseHeaders: newResponseHeaders() });
  const checkedDocument = documentCache(schema);
  // The quotas a document's operation breaks, if any, by operation node: cached documents are checked once.
  const limitChecks = new WeakMap<OperationDefinitionNode, AppSyncError | null>();

  function parseRequest(request: GraphQLRequest): Parsed {
    if (typeof request?.query !== 'string' || !request.query.trim()) {
      return { errors: [requestError('The request has no query: send JSON {"query": "…", "variables": {…}}.', 'MalformedHttpRequestException')] };
    }
    const checked = checkedDocument(request.query);
    if ('errors' in checked) return checked;
    const { document } = checked;
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (!operation) {
      return { errors: [requestError('Name the operation to run: the document has several and operationName does not match one.', 'ValidationError')] };
    }
    let overLimit = limitChecks.get(operation);
    if (overLimit === undefined) limitChecks.set(operation, (overLimit = checkDocumentLimits(document, operation, documentShape(operation), limits) ?? null));
    if (overLimit) return { errors: [overLimit] };
    return { document, operation };
  }

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

  const checkAccess = (caller: Caller, info: GraphQLResolveInfo): void => {
    const { access } = planOf(info);
    const allowed =
      access.modes.has(caller.authMode) &&
      !(caller.authMode === 'AMAZON_COGNITO_USER_POOLS' && access.cognitoGroups && !access.cognitoGroups.some((g) => callerGroups(caller).includes(g)));
    if (!allowed) throw unauthorizedField(info.fieldName, info.parentType.name);
  };

  /**
   * What checkAccess reads of a caller, as a key: a subscription's render depends on nothing else of who
   * subscribed, so subscribers with the same document, variables and access key get the same payload.
   */
  const accessKey = (caller: Caller): unknown[] =>
    caller.authMode === 'AMAZON_COGNITO_USER_POOLS' ? [caller.authMode, [...callerGroups(caller)].sort()] : [caller.authMode];

  const documentShape = (operation: OperationDefinitionNode) => ({
    rootType: schema.getRootType(operation.operation)?.name ?? '',
    hasResolver: (type: string, field: string) => resolvers.has(`${type}.${field}`),
    fieldType: (type: string, field: string) => {
      const parent = schema.getType(type);
      return parent && 'getFields' in parent ? getNamedType(parent.getFields()[field]?.type)?.name : undefined;
    },
  });

  // Synchronous for plain fields: a page of 20 files has 200 of them, and a promise each would double the work.
  const fieldResolver: GraphQLFieldResolver<unknown, ExecutionContext> = (source, args, context, info) => {
    checkAccess(context.caller, info);
    const { resolver } = planOf(info);
    if (resolver) return resolveWith(resolver, source, args, context, info);
    return info.operation.operation === 'subscription' && !info.path.prev
      ? (source as Record<string, unknown>)?.[info.fieldName] ?? null
      : defaultFieldResolver(source, args, context, info);
  };

  const resolveWith = async (resolver: PipelineResolver, source: unknown, args: Record<string, unknown>, context: ExecutionContext, info: GraphQLResolveInfo) => {
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
        throw new FieldResolutionError({ message: `extensions.invalidateSubscriptions may be called at most ${MAX_INVALIDATIONS_PER_REQUEST} times in a request.`, errorType: 'InvalidationLimitExceeded' });
      }
      context.invalidations.push(...(outcome.invalidations ?? []));
      if (outcome.data) context.mutationEvents.push({ fieldName: info.fieldName, value: projectSelected(outcome.data, info.fieldNodes, info.fragments) as Record<string, unknown> });
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

  return {
    schema,

    /** Runs a query or mutation; headers resolvers add (util.http) go into `responseHeaders`. */
    async execute(request: GraphQLRequest, caller: Caller, responseHeaders: Record<string, string> = {}): Promise<GraphQLResponse> {
      const parsed = parseRequest(request);
      if ('errors' in parsed) return { errors: parsed.errors };
      if (parsed.operation.operation === 'subscription') {
        return { errors: [requestError('Subscriptions are served over the real-time WebSocket endpoint (<graphql endpoint>/realtime), not over HTTP POST.', 'ValidationError')] };
      }
      const context = newContext(caller);
      const executed = Promise.resolve(run(parsed.document, request, context));
      const result = await withinTime(executed, limits.executionMs, () => undefined);
      // Out of time: the caller gets AppSync's timeout; what was still running finishes unseen, and no subscriber is told.
      if (!result) return { data: null, errors: [executionTimeoutError()] };
      for (const event of context.mutationEvents) onMutation?.(event);
      for (const invalidation of context.invalidations) onInvalidation?.(invalidation);
      Object.assign(responseHeaders, context.responseHeaders.values);
      return respond(result, context);
    },

    /**
     * Authorizes and registers-to-be a subscription: runs the field's resolver
     * once (as AppSync does at subscribe time) and returns what is needed to
     * match and render later events, or the errors that refuse it.
     */
    async subscribe(request: GraphQLRequest, caller: Caller): Promise<{ errors: AppSyncError[] } | { subscription: PreparedSubscription }> {
      const parsed = parseRequest(request);
      if ('errors' in parsed) return { errors: parsed.errors };
      if (parsed.operation.operation !== 'subscription') {
        return { errors: [requestError('Only subscription operations can be started on the real-time endpoint; send queries and mutations over HTTP POST.', 'ValidationError')] };
      }
      const rootField = subscriptionRootField(parsed.operation.selectionSet, parsed.document);
      // Conditional root selections would make the field registered differ from the field authorized (or none run at all).
      if (conditionalRootSelection(parsed.operation.selectionSet, parsed.document)) {
        return { errors: [requestError(`@skip and @include cannot be used on the subscription field ${rootField.name.value} or on a fragment holding it: subscribe to it, or do not start the subscription.`, 'ValidationError')] };
      }
      const context: ExecutionContext = { ...newContext(caller), subscribeOutcome: {} };
      // Executing the subscription once runs its resolver; the data is discarded, the filters and errors kept.
      const result = await run(parsed.document, request, context, { rootValue: {} });
      const response = respond(result, context);
      if (response.errors?.length) return { errors: response.errors };
      // Never a subscription whose resolver (its authorization) did not run: a field graphql-js skipped, say.
      if (!context.subscribeOutcome?.authorized) {
        return { errors: [requestError(`The subscription field ${rootField.name.value} was not resolved, so it cannot be authorized: it is refused.`, 'Unauthorized')] };
      }
      const { filter, invalidationFilter } = context.subscribeOutcome;
      return { subscription: prepareSubscription(parsed.document, parsed.operation, request, caller, filter, invalidationFilter) };
    },
  };

  function prepareSubscription(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    request: GraphQLRequest,
    caller: Caller,
    filter: unknown,
    invalidationFilter: unknown,
  ): PreparedSubscription {
    const rootField = subscriptionRootField(operation.selectionSet, document);
    const fieldName = rootField.name.value;
    const field = schema.getSubscriptionType()!.getFields()[fieldName];
    const triggers = subscribedMutations(field.astNode);
    // Coerced as the resolver saw them: a variable 123 for an ID! argument is "123".
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
    const argumentValues = getArgumentValues(field, rootField, variables.coerced ?? {});
    return {
      fieldName,
      matchKey: JSON.stringify([fieldName, argumentValues, filter ?? null]),
      // render reads the document, the variables and checkAccess's view of the caller, nothing more.
      renderKey: JSON.stringify([request.query, request.operationName ?? null, request.variables ?? null, accessKey(caller)]),
      matches(event) {
        if (!triggers.includes(event.fieldName)) return false;
        // AppSync: every argument the subscriber set must equal the same-named field of the mutation's result.
        for (const [name, expected] of Object.entries(argumentValues)) {
          if (expected !== null && expected !== undefined && event.value[name] !== expected) return false;
        }
        return matchesFilter(filter as SubscriptionFilterShape | undefined, event.value);
      },
      // A subscription without an invalidation filter is never invalidated.
      invalidatedBy: (invalidation) =>
        invalidation.subscriptionField === fieldName &&
        !!(invalidationFilter as SubscriptionFilterShape | undefined)?.filterGroup?.length &&
        matchesFilter(invalidationFilter as SubscriptionFilterShape, invalidation.payload),
      async render(event) {
        const context = newContext(caller);
        const result = await run(document, request, context, {
          rootValue: { [fieldName]: event.value },
          fieldResolver: (source, args, ctx, info) => {
            checkAccess(ctx.caller, info);
            return info.path.prev ? defaultFieldResolver(source, args, ctx, info) : (source as Record<string, unknown>)[info.fieldName];
          },
        });
        return respond(result, context);
      },
    };
  }
}

export interface PreparedSubscription {
  fieldName: string;
  /** Subscriptions with the same key match the same events (field, arguments, filter). */
  matchKey: string;
  /** Subscriptions with the same key render every event to the same response (document, variables, the caller's access). */
  renderKey: string;
  /** Whether this mutation event is for this subscriber (trigger, arguments, filter). */
  matches(event: MutationEvent): boolean;
  /** Whether an extensions.invalidateSubscriptions() call ends this subscription (its field, its invalidation filter). */
  invalidatedBy(invalidation: SubscriptionInvalidation): boolean;
  /** The subscriber's own selection applied to the event. */
  render(event: MutationEvent): Promise<GraphQLResponse>;
}

export type GraphQLApi = ReturnType<typeof createGraphQLApi>;

/** The mutations named by the field's @aws_subscribe(mutations: [...]). */
function subscribedMutations(node: FieldDefinitionNode | null | undefined): string[] {
  const directive = node?.directives?.find((d) => d.name.value === 'aws_subscribe');
  const argument = directive?.arguments?.find((a) => a.name.value === 'mutations');
  if (!argument || argument.value.kind !== 'ListValue') return [];
  return argument.value.values.flatMap((v) => (v.kind === 'StringValue' ? [v.value] : []));
}

/** The selections an inline fragment or a fragment spread stands for. */
function fragmentOf(selection: InlineFragmentNode | FragmentSpreadNode, document: DocumentNode): InlineFragmentNode | FragmentDefinitionNode | undefined {
  return selection.kind === Kind.INLINE_FRAGMENT
    ? selection
    : document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
}

/** The one root field of a subscription (validation guarantees one), also when a fragment holds it. */
function subscriptionRootField(selectionSet: SelectionSetNode, document: DocumentNode): FieldNode {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const fragment = fragmentOf(selection, document);
    if (fragment) return subscriptionRootField(fragment.selectionSet, document);
  }
  throw new Error('A validated subscription has a root field');
}

const isConditional = (node: { directives?: readonly { name: { value: string } }[] }) => !!node.directives?.some((d) => d.name.value === 'skip' || d.name.value === 'include');

/** Whether @skip or @include stands on the root field or on a fragment (inline or spread) around it. */
function conditionalRootSelection(selectionSet: SelectionSetNode, document: DocumentNode): boolean {
  return selectionSet.selections.some((selection) => {
    if (isConditional(selection)) return true;
    if (selection.kind === Kind.FIELD) return false;
    const fragment = fragmentOf(selection, document);
    return !!fragment && conditionalRootSelection(fragment.selectionSet, document);
  });
}
