/**
 * Which handler answers which request: the API (POST /graphql, POST
 * /upload), the local sign-in helpers (POST /local/token, the user pool's
 * JWKS), the pages (the console at /, the file browser) — and the real-time
 * upgrade. Every request is first held to this server's own host names.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AuthConfig } from '../auth/authenticate';
import { publicJwks, signToken } from '../auth/cognito-tokens';
import { consoleAsset, consolePage } from '../console/console-page';
import type { LambdaHandler } from '../data-sources/lambda';
import { FILES_PAGE_PATH, FILES_SCRIPT_PATH, filesPage, filesScript, type DeployedPageTarget } from '../files-page/files-page';
import { internalFailure } from '../graphql/errors';
import type { GraphQLApi } from '../graphql/graphql-api';
import type { LocalApiState } from '../state';
import { applyCors, type OriginTrust } from './cors';
import { handleGraphQL } from './graphql-endpoint';
import { isLocalHost, MISDIRECTED } from './host-check';
import { sendJson } from './http-io';
import { handleLocalToken, LOCAL_TOKEN_PATH } from './local-token-endpoint';
import { serveRestUpload } from './rest-upload-endpoint';

export const GRAPHQL_PATH = '/graphql';
export const REST_UPLOAD_PATH = '/upload';

export interface RouterOptions {
  api: GraphQLApi;
  auth: AuthConfig;
  state: LocalApiState;
  region: string;
  /** The REST Lambda, made once the server listens (it announces uploads to this server's URL). */
  restUpload: () => LambdaHandler;
  realtime: { path: string; upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> };
  hostNames: Set<string>;
  corsTrust: OriginTrust;
  /** Point the /files page at a deployed stack instead of this server. */
  filesPageTarget?: DeployedPageTarget;
}

/** The request target's path, or undefined when it is not one ("GET http://[ HTTP/1.1"). Parsed once: every request asks. */
function pathOf(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? '/', 'http://local').pathname;
  } catch {
    return undefined;
  }
}

/** The page talks to the origin it was loaded from (localhost or 127.0.0.1, http or https). */
const originOf = (req: IncomingMessage) => `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host}`;

export function createRouter(options: RouterOptions) {
  const { api, auth, state, region, realtime, hostNames, corsTrust } = options;
  const jwksPath = `/${state.userPool.userPoolId}/.well-known/jwks.json`;

  const route = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    let asset: Awaited<ReturnType<typeof consoleAsset>>;
    const isApiRoute = pathname === GRAPHQL_PATH || pathname === REST_UPLOAD_PATH;
    if (isApiRoute) applyCors(req, res, corsTrust);
    if (req.method === 'OPTIONS') {
      // No CORS but for the API: pages, their scripts and the token endpoint are for this origin only.
      res.writeHead(isApiRoute ? 204 : 403).end();
    } else if (req.method === 'POST' && pathname === LOCAL_TOKEN_PATH) {
      await handleLocalToken(req, res, (request) => signToken(state.userPool, state.signingKey, request));
    } else if (req.method === 'POST' && pathname === GRAPHQL_PATH) {
      await handleGraphQL(req, res, api, auth);
    } else if (req.method === 'POST' && pathname === REST_UPLOAD_PATH) {
      await serveRestUpload(req, res, options.restUpload(), auth.verifyToken);
    } else if (req.method === 'GET' && pathname === '/') {
      const html = consolePage({ graphqlPath: GRAPHQL_PATH, realtimePath: realtime.path, apiKey: state.apiKey });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (req.method === 'GET' && pathname.startsWith('/console/') && (asset = await consoleAsset(pathname.slice('/console/'.length)))) {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'max-age=3600' }).end(asset.body);
    } else if (req.method === 'GET' && pathname === FILES_PAGE_PATH) {
      const page = filesPage(
        options.filesPageTarget ?? {
          graphqlUrl: `${originOf(req)}${GRAPHQL_PATH}`,
          region,
          apiKey: state.apiKey,
          localTokenUrl: `${originOf(req)}${LOCAL_TOKEN_PATH}`,
          userPool: state.userPool,
        },
      );
      // No framing by other pages (clickjacking of Delete).
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': "frame-ancestors 'none'",
          'x-frame-options': 'DENY',
        })
        .end(page);
    } else if (req.method === 'GET' && pathname === FILES_SCRIPT_PATH) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }).end(await filesScript());
    } else if (req.method === 'GET' && pathname === jwksPath) {
      sendJson(res, 200, publicJwks(state.signingKey));
    } else {
      sendJson(res, 404, {
        errors: [{ errorType: 'NotFound', message: `No route for ${req.method} ${pathname}: the GraphQL endpoint is POST ${GRAPHQL_PATH}.` }],
      });
    }
  };

  /** The `request` listener. */
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (!isLocalHost(req.headers.host, hostNames)) return sendJson(res, 421, { errors: [MISDIRECTED] });
    const pathname = pathOf(req);
    if (pathname === undefined) return sendJson(res, 400, { errors: [{ errorType: 'BadRequest', message: 'The request target is not a path.' }] });
    route(req, res, pathname).catch((error) => {
      console.error('[http] request failed', error);
      if (!res.headersSent) sendJson(res, 500, { errors: [internalFailure] });
    });
  };

  /** The `upgrade` listener: the real-time endpoint, nothing else. */
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isLocalHost(req.headers.host, hostNames)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nconnection: close\r\n\r\n');
      return;
    }
    // A request line need not hold a parsable path ("GET http://[ HTTP/1.1"): refused, never thrown.
    const pathname = pathOf(req);
    if (pathname !== realtime.path) {
      socket.end(`HTTP/1.1 ${pathname === undefined ? '400 Bad Request' : '404 Not Found'}\r\nconnection: close\r\n\r\n`);
      return;
    }
    realtime.upgrade(req, socket, head).catch((error) => {
      console.error('[realtime] upgrade failed', error);
      socket.destroy();
    });
  };

  return { serve, upgrade };
}
