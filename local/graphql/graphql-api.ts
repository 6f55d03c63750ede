/**
 * AppSync's GraphQL API, locally: requests parsed and validated against the
 * schema (cached by query text) and held to AppSync's quotas, queries and
 * mutations run by the engine (engine.ts), subscriptions accepted by running
 * their resolver once and prepared for the hub (subscriptions.ts).
 */
import { getNamedType, getOperationAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { requestLimits } from '../../infra/api-definition';
import type { PipelineResolver } from '../appsync-js/execute-resolver';
import type { SubscriptionInvalidation } from '../appsync-js/util';
import type { AuthMode } from './auth-modes';
import { documentCache } from './document-cache';
import { createEngine, type ExecutionContext } from './engine';
import { requestError, type AppSyncError } from './errors';
import { checkDocumentLimits, executionTimeoutError, withinTime, type RequestLimits } from './request-limits';
import { conditionalRootSelection, prepareSubscription, subscriptionRootField, type PreparedSubscription } from './subscriptions';

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

export function createGraphQLApi({ schema, resolvers, onMutation, onInvalidation, limits = requestLimits }: GraphQLApiOptions) {
  const engine = createEngine({ schema, resolvers, limits });
  const { newContext, run, respond } = engine;
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

  const documentShape = (operation: OperationDefinitionNode) => ({
    rootType: schema.getRootType(operation.operation)?.name ?? '',
    hasResolver: (type: string, field: string) => resolvers.has(`${type}.${field}`),
    fieldType: (type: string, field: string) => {
      const parent = schema.getType(type);
      return parent && 'getFields' in parent ? getNamedType(parent.getFields()[field]?.type)?.name : undefined;
    },
  });

  return {
    schema,

    /** Runs a query or mutation; headers resolvers add (util.http) go into `responseHeaders`. */
    async execute(request: GraphQLRequest, caller: Caller, responseHeaders: Record<string, string> = {}): Promise<GraphQLResponse> {
      const parsed = parseRequest(request);
      if ('errors' in parsed) return { errors: parsed.errors };
      if (parsed.operation.operation === 'subscription') {
        return {
          errors: [
            requestError(
              'Subscriptions are served over the real-time WebSocket endpoint (<graphql endpoint>/realtime), not over HTTP POST.',
              'ValidationError',
            ),
          ],
        };
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
        return {
          errors: [
            requestError(
              'Only subscription operations can be started on the real-time endpoint; send queries and mutations over HTTP POST.',
              'ValidationError',
            ),
          ],
        };
      }
      const rootField = subscriptionRootField(parsed.operation.selectionSet, parsed.document);
      // Conditional root selections would make the field registered differ from the field authorized (or none run at all).
      if (conditionalRootSelection(parsed.operation.selectionSet, parsed.document)) {
        return {
          errors: [
            requestError(
              `@skip and @include cannot be used on the subscription field ${rootField.name.value} or on a fragment holding it: subscribe to it, or do not start the subscription.`,
              'ValidationError',
            ),
          ],
        };
      }
      const context: ExecutionContext = { ...newContext(caller), subscribeOutcome: {} };
      // Executing the subscription once runs its resolver; the data is discarded, the filters and errors kept.
      const result = await run(parsed.document, request, context, { rootValue: {} });
      const response = respond(result, context);
      if (response.errors?.length) return { errors: response.errors };
      // Never a subscription whose resolver (its authorization) did not run: a field graphql-js skipped, say.
      if (!context.subscribeOutcome?.authorized) {
        return {
          errors: [requestError(`The subscription field ${rootField.name.value} was not resolved, so it cannot be authorized: it is refused.`, 'Unauthorized')],
        };
      }
      const { filter, invalidationFilter } = context.subscribeOutcome;
      return {
        subscription: prepareSubscription(schema, engine, {
          document: parsed.document,
          operation: parsed.operation,
          request,
          caller,
          filter,
          invalidationFilter,
        }),
      };
    },
  };
}

export type GraphQLApi = ReturnType<typeof createGraphQLApi>;
export type { PreparedSubscription };
