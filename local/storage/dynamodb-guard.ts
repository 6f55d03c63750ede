/**
 * dynalite checks no signature at all, and answers any web page with
 * `Access-Control-Allow-Origin: *`: whoever reaches its port — a page the
 * developer opens, another user of the machine — could read and rewrite
 * every project's rows. In front of it, as DynamoDB does: a request must be
 * SigV4-signed (service dynamodb) with the data directory's key pair; a
 * browser request (it carries Origin) is refused outright, no CORS.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { verifySigV4 } from '../auth/sigv4';
import { BodyTooLarge, headersOf, readBody } from '../http/http-io';
import type { AccessKeyPair } from '../state';

/** DynamoDB's own request limit. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

function refuse(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message });
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
}

/** Puts the signature check in front of dynalite's own request handler on `server`. */
export function requireSignatures(server: Server, credentials: AccessKeyPair, region: string): void {
  const [dynaliteHandler] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const account = { accountId: '000000000000', region, ...credentials };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (req.headers.origin !== undefined)
        return refuse(res, 403, 'AccessDeniedException', 'Browser requests are not served: the embedded DynamoDB is for the local API and the AWS SDK.');
      if (req.headers.authorization === undefined) return refuse(res, 400, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
      let body: Buffer;
      try {
        body = await readBody(req, MAX_REQUEST_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        return refuse(res, 413, 'RequestEntityTooLarge', 'Request must be smaller than 16 MB.');
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      const headers = headersOf(req);
      const verified = await verifySigV4({ method: req.method ?? 'POST', url, headers, body: body.toString('utf8') }, account, '', 'dynamodb');
      if (!verified.ok) return refuse(res, 400, 'UnrecognizedClientException', verified.message);
      // dynalite reads the request as a stream: hand it the body already read.
      const replay = Object.assign(new PassThrough(), { headers: req.headers, method: req.method, url: req.url, socket: req.socket });
      dynaliteHandler(replay as unknown as IncomingMessage, res);
      replay.end(body);
    })().catch((error) => {
      console.error('[dynamodb] request failed', error);
      if (!res.headersSent) refuse(res, 500, 'InternalFailure', 'The embedded DynamoDB failed to serve the request.');
    });
  });
}
