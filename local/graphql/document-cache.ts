/**
 * Parsed and validated documents by query text, as production GraphQL
 * servers keep them: clients send the same few operations over and over,
 * and parsing plus validating is most of a small request's work. A query's
 * validity depends on its text and the schema only, so refusals are kept
 * too. Least recently used entries go first once `size` are held.
 */
import { parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { requestError, toAppSyncError, type AppSyncError } from './errors';

export type CheckedDocument = { document: DocumentNode } | { errors: AppSyncError[] };

export function documentCache(schema: GraphQLSchema, size = 500) {
  const entries = new Map<string, CheckedDocument>();

  const check = (query: string): CheckedDocument => {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return { errors: [toAppSyncError(error as GraphQLError, 'ValidationError')] };
    }
    let invalid: readonly GraphQLError[];
    try {
      invalid = validate(schema, document);
    } catch (error) {
      // graphql-js's own rules can throw on documents they did not foresee (a subscription's @include(if: $var)).
      return { errors: [requestError(`The document cannot be validated: ${(error as Error).message}`, 'ValidationError')] };
    }
    return invalid.length ? { errors: invalid.map((e) => toAppSyncError(e, 'ValidationError')) } : { document };
  };

  return (query: string): CheckedDocument => {
    let entry = entries.get(query);
    if (entry) {
      entries.delete(query);
    } else {
      entry = check(query);
      if (entries.size >= size) entries.delete(entries.keys().next().value!);
    }
    entries.set(query, entry);
    return entry;
  };
}
