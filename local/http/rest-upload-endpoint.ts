/**
 * POST /upload, locally, as API Gateway serves it: a JWT authorizer checks
 * the user-pool token (401 otherwise), then the rest-upload Lambda gets the
 * HTTP API payload-2.0 event and its answer is sent back as it gives it.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenFromAuthorization, type VerifiedToken } from '../auth/cognito-tokens';
import { invocationContext, type LambdaHandler } from '../data-sources/lambda';
import { BodyTooLarge, headersOf, readBody, sendJson, sourceIpOf } from './http-io';

/** API Gateway HTTP APIs take request bodies up to 10 MB. */
export const MAX_HTTP_API_BODY_BYTES = 10 * 1024 * 1024;

/** HTTP APIs pass every claim to the Lambda as a string, arrays flattened to "[a b]". */
const flattenClaims = (claims: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, Array.isArray(value) ? `[${value.join(' ')}]` : String(value)]));

/** Answers without reading the rest of the body, and closes the connection so the unread bytes are never taken in. */
function refuseUnread(res: ServerResponse, status: number, body: Record<string, string>): void {
  res.setHeader('connection', 'close');
  sendJson(res, status, body);
}

export async function serveRestUpload(
  req: IncomingMessage,
  res: ServerResponse,
  handler: LambdaHandler,
  verifyToken: (token: string) => Promise<VerifiedToken>,
): Promise<void> {
  // The authorizer decides from the headers alone: a caller without a valid token never gets its body read.
  const headers = headersOf(req);
  const token = headers.authorization && tokenFromAuthorization(headers.authorization);
  const verified = token ? await verifyToken(token) : undefined;
  if (!verified?.ok) {
    const reason = !token ? 'no token was sent' : verified?.reason === 'expired' ? 'the token has expired' : 'the token is not a user-pool token of this API';
    return refuseUnread(res, 401, {
      errorType: 'UnauthorizedException',
      message: `Unauthorized: ${reason}. Send "Authorization: Bearer <token>" (npm run token).`,
    });
  }
  let body: string;
  try {
    body = (await readBody(req, MAX_HTTP_API_BODY_BYTES)).toString('utf8');
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    return refuseUnread(res, 413, { errorType: 'PayloadTooLarge', message: 'The request is over the 10 MB an HTTP API accepts.' });
  }
  const now = new Date();
  const requestId = randomUUID();
  const event = {
    version: '2.0',
    routeKey: 'POST /upload',
    rawPath: '/upload',
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: { jwt: { claims: flattenClaims(verified.claims), scopes: null } },
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method: 'POST', path: '/upload', protocol: 'HTTP/1.1', sourceIp: sourceIpOf(req), userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey: 'POST /upload',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
  const result = (await handler(event, invocationContext('restUpload', requestId))) as APIGatewayProxyStructuredResultV2;
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  res.end(result.body ?? '');
}
