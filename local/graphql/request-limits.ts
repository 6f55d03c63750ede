/**
 * AppSync's per-request quotas, enforced locally so one caller cannot tie up
 * the server: the number of resolvers a request runs (resolverCountLimit,
 * 10,000 at most), the depth of the selection (queryDepthLimit), and the 30 s
 * a request may execute. The first two are checked on the document before
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

export const resolverLimitError = () => requestError('Resolver invocation limit reached.', 'ResolverExecutionLimitReached');
export const executionTimeoutError = () => requestError('Execution timed out.', 'ExecutionTimeout');

interface Walk {
  depth: number;
  resolvers: number;
}

/**
 * The deepest field nesting and how many resolver-backed fields the operation
 * selects (aliases count apart; fragments counted where spread).
 */
function measure(selectionSet: SelectionSetNode, parentType: string, fragments: Map<string, FragmentDefinitionNode>, hasResolver: (type: string, field: string) => boolean, fieldType: (type: string, field: string) => string | undefined): Walk {
  let depth = 0;
  let resolvers = 0;
  for (const selection of selectionSet.selections) {
    let inner: Walk;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (hasResolver(parentType, name)) resolvers += 1;
      const child = selection.selectionSet ? measure(selection.selectionSet, fieldType(parentType, name) ?? '', fragments, hasResolver, fieldType) : { depth: 0, resolvers: 0 };
      inner = { depth: child.depth + 1, resolvers: child.resolvers };
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (!fragment) continue;
      inner = measure(fragment.selectionSet, fragment.typeCondition?.name.value ?? parentType, fragments, hasResolver, fieldType);
    }
    depth = Math.max(depth, inner.depth);
    resolvers += inner.resolvers;
  }
  return { depth, resolvers };
}

export interface DocumentShape {
  rootType: string;
  hasResolver(type: string, field: string): boolean;
  /** The named type a field returns (lists and non-null unwrapped). */
  fieldType(type: string, field: string): string | undefined;
}

/** Refuses, before execution, an operation over the depth limit or selecting more resolvers than may run. */
export function checkDocumentLimits(document: DocumentNode, operation: OperationDefinitionNode, shape: DocumentShape, limits: RequestLimits): AppSyncError | undefined {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const { depth, resolvers } = measure(operation.selectionSet, shape.rootType, fragments, shape.hasResolver, shape.fieldType);
  if (depth > limits.queryDepth) {
    return requestError(`The query is ${depth} levels deep; this API allows at most ${limits.queryDepth}. Select fewer nested fields.`, 'QueryDepthLimitReached');
  }
  if (resolvers > limits.resolverCount) return resolverLimitError();
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
