/**
 * A field's selection set as AppSync reports it to resolvers
 * (ctx.info.selectionSetList, selectionSetGraphQL), and the part of a result
 * it selected — what a mutation hands on to its subscribers.
 */
import { Kind, print, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

type Fragments = Record<string, FragmentDefinitionNode>;

/** The fields of a selection set, fragments and inline fragments flattened. */
function fieldsOf(selectionSet: SelectionSetNode | undefined, fragments: Fragments): FieldNode[] {
  if (!selectionSet) return [];
  return selectionSet.selections.flatMap((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return [selection];
      case Kind.INLINE_FRAGMENT:
        return fieldsOf(selection.selectionSet, fragments);
      case Kind.FRAGMENT_SPREAD:
        return fieldsOf(fragments[selection.name.value]?.selectionSet, fragments);
    }
  });
}

const childFields = (nodes: readonly FieldNode[], fragments: Fragments) => nodes.flatMap((node) => fieldsOf(node.selectionSet, fragments));

/**
 * Per field node of a cached document: what a resolver is told of its
 * selection is the same on every request. (A field merged from several nodes
 * is worked out each time.) Resolvers get copies.
 */
const listsByNode = new WeakMap<FieldNode, string[]>();
const graphQLByNode = new WeakMap<FieldNode, string>();

function perNode<T>(cache: WeakMap<FieldNode, T>, nodes: readonly FieldNode[], compute: () => T): T {
  if (nodes.length !== 1) return compute();
  let value = cache.get(nodes[0]);
  if (value === undefined) cache.set(nodes[0], (value = compute()));
  return value;
}

/** AppSync's selectionSetList: `items`, `items/fileID`, … (introspection fields left out). */
export const selectionSetList = (nodes: readonly FieldNode[], fragments: Fragments): string[] =>
  perNode(listsByNode, nodes, () => listOf(nodes, fragments)).slice();

function listOf(nodes: readonly FieldNode[], fragments: Fragments, prefix = ''): string[] {
  const seen = new Set<string>();
  const list: string[] = [];
  const fields = childFields(nodes, fragments);
  for (const field of fields) {
    const name = field.name.value;
    if (name.startsWith('__') || seen.has(name)) continue;
    seen.add(name);
    const path = `${prefix}${name}`;
    const sameName = fields.filter((f) => f.name.value === name);
    list.push(path, ...listOf(sameName, fragments, `${path}/`));
  }
  return list;
}

export const selectionSetGraphQL = (nodes: readonly FieldNode[]): string =>
  perNode(graphQLByNode, nodes, () => nodes.map((node) => (node.selectionSet ? print(node.selectionSet) : '')).join('\n'));

/** Keeps only the fields (by name) the nodes selected, recursively. */
export function projectSelected(value: unknown, nodes: readonly FieldNode[], fragments: Fragments): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null;
  if (Array.isArray(value)) return value.map((item) => projectSelected(item, nodes, fragments));
  const fields = childFields(nodes, fragments);
  if (!fields.length) return value;
  const projected: Record<string, unknown> = {};
  for (const field of fields) {
    const name = field.name.value;
    if (name.startsWith('__') || name in projected) continue;
    const sameName = fields.filter((f) => f.name.value === name);
    projected[name] = projectSelected((value as Record<string, unknown>)[name], sameName, fragments);
  }
  return projected;
}
