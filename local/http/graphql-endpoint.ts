/**
 * POST /graphql as AppSync serves it: JSON {query, variables,
 * operationName?}, authenticated before anything runs (401
 * UnauthorizedException otherwise), answered 200 with {data, errors?}.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, type AuthConfig } from '../auth/authenticate';
import { requestError } from '../graphql/errors';
import type { GraphQLApi, GraphQLRequest } from '../graphql/graphql-api';
import { BodyTooLarge, headersOf, readBody, sendJson, sourceIpOf } from './http-io';

/** AppSync refuses request bodies over 1 MB. */
export const MAX_GRAPHQL_REQUEST_BYTES = 1_048_576;

export async function handleGraphQL(req: IncomingMessage, res: ServerResponse, api: GraphQLApi, auth: AuthConfig): Promise<void> {
  let body: string;
  try {
    body = (await readBody(req, MAX_GRAPHQL_REQUEST_BYTES)).toString('utf8');
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    // The rest of an undeclared (chunked) body is not worth reading: the connection ends with the answer.
    res.setHeader('connection', 'close');
    return sendJson(res, 413, { errors: [requestError(`The request is over AppSync's 1 MB limit (${MAX_GRAPHQL_REQUEST_BYTES} bytes).`, 'PayloadTooLarge')] });
  }
  const headers = headersOf(req);
  const url = new URL(req.url ?? '/', `http://${headers.host ?? 'localhost'}`);
  const authentication = await authenticate(auth, { method: req.method ?? 'POST', url, headers, body }, sourceIpOf(req));
  if (!authentication.ok) {
    return sendJson(res, 401, { errors: [requestError(authentication.message, 'UnauthorizedException')] });
  }
  let request: GraphQLRequest;
  try {
    request = JSON.parse(body);
  } catch {
    return sendJson(res, 400, {
      errors: [requestError('The request body is not JSON: send {"query": "…", "variables": {…}}.', 'MalformedHttpRequestException')],
    });
  }
  const responseHeaders: Record<string, string> = {};
  const response = await api.execute(request, authentication.caller, responseHeaders);
  // Headers resolvers added with util.http.addResponseHeader(s).
  for (const [name, value] of Object.entries(responseHeaders)) res.setHeader(name, value);
  sendJson(res, 200, response);
}
