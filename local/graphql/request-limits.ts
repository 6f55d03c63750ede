/**
 * AppSync's per-request quotas, enforced locally so one caller cannot tie up
 * the server: the number of resolvers a request runs (resolverCountLimit,
 * 10,000 at most), the depth of the selection (queryDepthLimit), and the 30 s
 * a request may execute — and, locally only, the number of fields selected. The first two are checked on the document before
 * anything runs; resolvers run are counted again while executing (a list's
 * items each run theirs), and the clock stops a request that runs out of time.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { requestError, type AppSyncError } from './errors';

export interface RequestLimits {
  /** Resolvers one request may run (AppSync: 1–10,000, 10,000 by default). */
  resolverCount: number;
  /** Nesting of fields one request may select (AppSync: 1–75, off by default). */
  queryDepth: number;
  /** How long one request may execute (AppSync: 30 s, not configurable). */
  executionMs: number;
}

/**
 * Fields with no resolver (introspection, plain fields) run no data source
 * but still cost time and memory: 5,000 aliased __schema selections build
 * hundreds of MB. AppSync has its own protections; locally, a cap well above
 * any real query of this API (stricter than AppSync, which publishes none).
 */
export const MAX_SELECTED_FIELDS = 20_000;

export const resolverLimitError = () => requestError('Resolver invocation limit reached.', 'ResolverExecutionLimitReached');
export const executionTimeoutError = () => requestError('Execution timed out.', 'ExecutionTimeout');

interface Walk {
  depth: number;
  /** Resolver-backed fields selected. */
  resolvers: number;
  /** Fields selected, resolver-backed or not (introspection, plain fields). */
  fields: number;
}

/**
 * The deepest field nesting, and how many fields and resolver-backed fields
 * the operation selects (aliases count apart; a fragment counts where it is
 * spread). Each named fragment is measured once and remembered: fragments
 * spreading fragments twice over would otherwise cost 2^n to walk.
 */
function measurer(fragments: Map<string, FragmentDefinitionNode>, shape: DocumentShape) {
  const known = new Map<string, Walk>();
  const measure = (selectionSet: SelectionSetNode, parentType: string): Walk => {
    const total: Walk = { depth: 0, resolvers: 0, fields: 0 };
    for (const selection of selectionSet.selections) {
      let inner: Walk;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const child = selection.selectionSet ? measure(selection.selectionSet, shape.fieldType(parentType, name) ?? '') : { depth: 0, resolvers: 0, fields: 0 };
        inner = { depth: child.depth + 1, resolvers: child.resolvers + (shape.hasResolver(parentType, name) ? 1 : 0), fields: child.fields + 1 };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(selection.selectionSet, selection.typeCondition?.name.value ?? parentType);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment) continue;
        let walk = known.get(name);
        if (!walk) known.set(name, (walk = measure(fragment.selectionSet, fragment.typeCondition.name.value)));
        inner = walk;
      }
      total.depth = Math.max(total.depth, inner.depth);
      total.resolvers += inner.resolvers;
      total.fields += inner.fields;
    }
    return total;
  };
  return measure;
}

export interface DocumentShape {
  rootType: string;
  hasResolver(type: string, field: string): boolean;
  /** The named type a field returns (lists and non-null unwrapped). */
  fieldType(type: string, field: string): string | undefined;
}

/** Refuses, before execution, an operation over the depth limit or selecting more resolvers than may run. */
export function checkDocumentLimits(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  shape: DocumentShape,
  limits: RequestLimits,
): AppSyncError | undefined {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const { depth, resolvers, fields } = measurer(fragments, shape)(operation.selectionSet, shape.rootType);
  if (depth > limits.queryDepth) {
    return requestError(
      `The query is ${depth} levels deep; this API allows at most ${limits.queryDepth}. Select fewer nested fields.`,
      'QueryDepthLimitReached',
    );
  }
  if (resolvers > limits.resolverCount) return resolverLimitError();
  if (fields > MAX_SELECTED_FIELDS) {
    return requestError(`The query selects ${fields} fields; this server answers at most ${MAX_SELECTED_FIELDS} in one request. Split it.`, 'QueryTooLarge');
  }
  return undefined;
}

/** Resolves with `work`'s result, or with `onTimeout()` once `ms` have passed (the work itself is not stopped). */
export async function withinTime<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
