/**
 * GraphQL over HTTP with the generated typed documents (generated/operations.ts):
 * variables and answers are typed by the operation, never by hand. AppSync
 * answers refusals with HTTP 200 and `errors` (each with an `errorType`), and
 * bad credentials with 401; both become a CliError carrying that errorType.
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { Auth } from './auth';
import { CliError } from './errors';
import { networkError, readJson, send } from './http';
import type { Target } from './target';

/** A generated document: a String of the operation, typed with its result and variables. */
export type Operation<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

export type GraphQLCall = <TResult, TVariables>(operation: Operation<TResult, TVariables>, variables: TVariables, signal?: AbortSignal) => Promise<TResult>;

interface GraphQLError {
  errorType?: unknown;
  message?: unknown;
}

/** The first error as a CliError; the others are named in its message, so none is silently dropped. */
function toCliError(errors: GraphQLError[], status: number): CliError {
  const [first, ...rest] = errors;
  const errorType = typeof first?.errorType === 'string' ? first.errorType : `HTTP${status}`;
  const message = typeof first?.message === 'string' ? first.message : 'The API refused the request.';
  return new CliError(errorType, rest.length ? `${message} (and ${rest.length} more error${rest.length > 1 ? 's' : ''})` : message);
}

export function graphqlClient(target: Target, auth: Auth): GraphQLCall {
  return async function call<TResult, TVariables>(operation: Operation<TResult, TVariables>, variables: TVariables, signal?: AbortSignal): Promise<TResult> {
    const response = await send(target.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth.httpHeaders },
      body: JSON.stringify({ query: operation.toString(), variables }),
      signal,
      ca: target.ca,
    }).catch((error) => {
      throw signal?.aborted ? error : networkError(target.graphqlUrl, error);
    });
    const body = (await readJson(response)) as { data?: unknown; errors?: GraphQLError[] } | undefined;
    if (!body) throw new CliError(`HTTP${response.statusCode}`, `${target.graphqlUrl} answered ${response.statusCode} without a GraphQL response.`);
    if (Array.isArray(body.errors) && body.errors.length) throw toCliError(body.errors, response.statusCode ?? 0);
    if (response.statusCode !== 200 || body.data == null)
      throw new CliError(`HTTP${response.statusCode}`, `${target.graphqlUrl} answered ${response.statusCode} with no data.`);
    return body.data as TResult;
  };
}
