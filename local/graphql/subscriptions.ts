/**
 * A subscription once AppSync has accepted it: which mutation events reach
 * it (the field's @aws_subscribe mutations, its arguments, the filter its
 * resolver set), how each event is rendered for it (its own selection, with
 * field auth), and what invalidates it. Keys group subscribers that match
 * and render alike, so the hub works once per group, not per subscriber.
 */
import {
  defaultFieldResolver,
  getArgumentValues,
  getVariableValues,
  Kind,
  type DocumentNode,
  type FieldDefinitionNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { SubscriptionFilter } from '../appsync-js/transform';
import type { SubscriptionInvalidation } from '../appsync-js/util';
import type { Engine } from './engine';
import type { Caller, GraphQLRequest, GraphQLResponse, MutationEvent } from './graphql-api';
import { matchesFilter } from './subscription-filter';

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

export interface AcceptedSubscription {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  request: GraphQLRequest;
  caller: Caller;
  /** What the subscription's resolver set with extensions.setSubscriptionFilter / setSubscriptionInvalidationFilter. */
  filter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
}

export function prepareSubscription(
  schema: GraphQLSchema,
  engine: Engine,
  { document, operation, request, caller, filter, invalidationFilter }: AcceptedSubscription,
): PreparedSubscription {
  const { newContext, run, respond, checkAccess, accessKey } = engine;
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
      return matchesFilter(filter, event.value);
    },
    // A subscription without an invalidation filter is never invalidated.
    invalidatedBy: (invalidation) =>
      invalidation.subscriptionField === fieldName && !!invalidationFilter?.filterGroup?.length && matchesFilter(invalidationFilter, invalidation.payload),
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
export function subscriptionRootField(selectionSet: SelectionSetNode, document: DocumentNode): FieldNode {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const fragment = fragmentOf(selection, document);
    if (fragment) return subscriptionRootField(fragment.selectionSet, document);
  }
  throw new Error('A validated subscription has a root field');
}

const isConditional = (node: { directives?: readonly { name: { value: string } }[] }) =>
  !!node.directives?.some((d) => d.name.value === 'skip' || d.name.value === 'include');

/** Whether @skip or @include stands on the root field or on a fragment (inline or spread) around it. */
export function conditionalRootSelection(selectionSet: SelectionSetNode, document: DocumentNode): boolean {
  return selectionSet.selections.some((selection) => {
    if (isConditional(selection)) return true;
    if (selection.kind === Kind.FIELD) return false;
    const fragment = fragmentOf(selection, document);
    return !!fragment && conditionalRootSelection(fragment.selectionSet, document);
  });
}
