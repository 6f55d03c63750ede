/**
 * The whole API on one machine, as a function: embedded storage (or given
 * endpoints), the bundled resolvers and Lambda wired from the API
 * definition, and AppSync's HTTP protocol. `npm start` and the tests call it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { bundlePaths } from '../infra/bundle';
import { signToken, tokenVerifier, type TokenRequest, type UserPool, publicJwks } from './auth/cognito-tokens';
import type { AuthConfig } from './auth/authenticate';
import { consoleAsset, consolePage } from './console/console-page';
import { FILES_PAGE_PATH, FILES_SCRIPT_PATH, filesPage, filesScript, type DeployedPageTarget } from './files-page/files-page';
import { lazyLambdaHandler, type InvocationCounts } from './data-sources/lambda';
import { dataSourceLambdas, type DataSourceLambdaName } from '../infra/api-definition';
import { internalFailure } from './graphql/errors';
import { createGraphQLApi, type GraphQLApi } from './graphql/graphql-api';
import { loadSchema } from './graphql/schema';
import { handleGraphQL } from './http/graphql-endpoint';
import { serveRestUpload } from './http/rest-upload-endpoint';
import { handleLocalToken, LOCAL_TOKEN_PATH } from './http/local-token-endpoint';
import { isLocalHost, localHostNames, MISDIRECTED } from './http/host-check';
import { applyCors, originTrust } from './http/cors';
import { sendJson } from './http/http-io';
import { loadResolvers } from './load-resolvers';
import type { ManageDeps } from '../functions/core/complete-upload';
import { expirePendingUploads } from '../functions/core/expire-uploads';
import { PENDING_UPLOAD_SECONDS } from '../functions/core/limits';
import { reconcileStores } from '../functions/core/reconcile-stores';
import { readConfig } from '../functions/core/config';
import { createStores } from '../functions/core/storage';
import { localLambdaEnvironment } from './lambda-environment';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { checkDataOnStart } from './startup-check';
import { createRealtimeEndpoint } from './realtime/realtime-endpoint';
import type { RealtimeLimits } from './realtime/realtime-connection';
import { SubscriptionHub } from './realtime/subscription-hub';
import { loadOrCreateState } from './state';
import { startEmbeddedStorage, storageClients, type StorageLocation } from './storage/index';
import { loadOrCreateCertificates } from './tls/local-certificates';
import { samePortTls } from './tls/same-port-tls';

export interface LocalServerOptions {
  /** 4000 by default; 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where data and keys persist; in memory when omitted. */
  dataDir?: string;
  /** Use this storage instead of starting dynalite and s3rver (e.g. a real AWS account). */
  storage?: StorageLocation;
  region?: string;
  /** How often the real-time endpoint sends `ka` (60 s by default). */
  keepAliveMs?: number;
  /** The real-time endpoint's limits, AppSync's by default (tests shorten them). */
  realtimeLimits?: Partial<RealtimeLimits>;
  /** Point the /files page at a deployed stack (Cognito sign-in) instead of this server. */
  filesPageTarget?: DeployedPageTarget;
  /** Origins (e.g. http://localhost:5173) whose pages may call the API with tokens or SigV4, besides this server's own. */
  corsOrigins?: string[];
  /** Where the REST Lambda announces uploads (its GRAPHQL_URL): this server's /graphql by default. */
  announceUrl?: string;
}

export interface LocalServer {
  graphqlUrl: string;
  /** The real-time WebSocket; the same port also answers `wss://` with the local CA's certificate. */
  realtimeUrl: string;
  /** POST /upload, the legacy REST endpoint. */
  restUrl: string;
  /** POST /local/token: a user-pool token for {username, groups}, for callers on this machine (sign-in pages, the CLI). */
  localTokenUrl: string;
  apiKey: string;
  /** The local CA that signs the server's TLS certificate: trust it (NODE_EXTRA_CA_CERTS) to use https:// and wss://. */
  caCertFile: string;
  caCert: string;
  userPool: UserPool;
  storage: StorageLocation;
  api: GraphQLApi;
  /** Subscriptions started (start_ack sent) and not yet stopped, over all real-time connections. */
  activeSubscriptions(): number;
  /** Discards the uploads never completed whose time is up (`now` by default), as DynamoDB TTL and the bucket's lifecycle rule do on AWS; also runs on start and every 5 minutes. */
  expireUploads(now?: Date): Promise<number>;
  /** How often each data-source Lambda was invoked (a BatchInvoke event counts once), as CloudWatch counts Invocations. */
  lambdaInvocations(name: DataSourceLambdaName): number;
  signToken(request: TokenRequest): Promise<string>;
  close(): Promise<void>;
}

let lambdaInstances = 0;

const EXPIRY_SWEEP_MS = 5 * 60 * 1000;

/** The local stand-in for DynamoDB TTL and the abort-incomplete-multipart lifecycle rule. */
function uploadExpiry(deps: ManageDeps) {
  const run = async (now?: Date) => {
    const discarded = await expirePendingUploads(deps, now);
    if (discarded) console.log(`[uploads] discarded ${discarded} upload(s) never completed within ${PENDING_UPLOAD_SECONDS / 3600} hours`);
    return discarded;
  };
  const timer = setInterval(() => void run().catch((error) => console.error('[uploads] expiring unfinished uploads failed', error)), EXPIRY_SWEEP_MS).unref();
  return { run, stop: () => clearInterval(timer) };
}

const GRAPHQL_PATH = '/graphql';

/** The account ID IAM callers belong to locally. */
const LOCAL_ACCOUNT_ID = '000000000000';

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  // Before anything touches the data: another server may hold it.
  const lock = options.dataDir ? await lockDataDir(options.dataDir) : undefined;
  try {
    return await startServerHolding(options, lock);
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

async function startServerHolding(options: LocalServerOptions, lock: DataDirLock | undefined): Promise<LocalServer> {
  const region = options.region ?? options.storage?.region ?? 'us-east-1';
  const state = await loadOrCreateState(options.dataDir, region);
  const embedded = options.storage ? undefined : await startEmbeddedStorage({ dataDir: options.dataDir, region, credentials: state.iamCredentials });
  const storage: StorageLocation = options.storage ?? embedded!;
  // Each server's Lambdas get an environment of their own, never process.env: two servers in one process keep theirs apart.
  // A missing setting (e.g. an empty bucket name) fails here, at start-up.
  const lambdaEnvironment = localLambdaEnvironment(storage);
  const clients = storageClients(storage);
  // Module instances of their own per server, like fresh Lambda containers.
  const container = String(++lambdaInstances);
  const lambdas = Object.fromEntries(dataSourceLambdas.map((name) => [name, lazyLambdaHandler(bundlePaths.lambda(name), lambdaEnvironment, container)])) as Record<
    DataSourceLambdaName,
    ReturnType<typeof lazyLambdaHandler>
  >;
  // Made once the server listens, before its first request: the REST proxy announces uploads to this server's GRAPHQL_URL.
  let restUpload: ReturnType<typeof lazyLambdaHandler> | undefined;
  const invocations: InvocationCounts = new Map();
  const resolvers = await loadResolvers({
    dynamodb: clients.dynamodb,
    tableName: storage.tableName,
    nextTokenKey: Buffer.from(state.nextTokenKey, 'base64'),
    lambdas,
    invocations,
  });
  const config = readConfig(lambdaEnvironment);
  const stores = createStores(config, clients);
  const expireUploads = uploadExpiry(stores);
  // Reported, not fatal: one file that cannot be repaired or discarded must not keep the API from starting.
  // Only data kept on disk can hold what a crash left.
  if (embedded && options.dataDir) {
    await checkDataOnStart({ ...stores, stores: reconcileStores(clients, config) }, embedded.recovery).then(
      (lines) => lines.forEach((line) => console.log(line)),
      (error) => console.error('[check] checking the data failed', error),
    );
  } else {
    await expireUploads.run().catch((error) => console.error('[uploads] expiring unfinished uploads failed', error));
  }
  const hub = new SubscriptionHub();
  const api = createGraphQLApi({
    schema: await loadSchema(),
    resolvers,
    onMutation: (event) => hub.publish(event),
    onInvalidation: (invalidation) => hub.invalidate(invalidation),
  });
  const auth: AuthConfig = {
    apiKey: state.apiKey,
    verifyToken: tokenVerifier(state.userPool, state.signingKey),
    // The local account: the storage credentials (the data directory's own key pair, embedded) also sign IAM calls (e.g. the REST proxy's announcements).
    account: { accountId: LOCAL_ACCOUNT_ID, region, ...storage.credentials },
  };
  const realtime = createRealtimeEndpoint({ api, hub, auth, graphqlPath: GRAPHQL_PATH, keepAliveMs: options.keepAliveMs, limits: options.realtimeLimits });
  // Without a data directory the CA is still kept, per user, so a client trusts it once, not on every run.
  const tlsDir = path.join(options.dataDir ?? path.join(os.tmpdir(), `codecraft-files-${os.userInfo().uid}`), 'tls');
  const certificates = await loadOrCreateCertificates(tlsDir);
  const jwksPath = `/${state.userPool.userPoolId}/.well-known/jwks.json`;

  // The page talks to the origin it was loaded from (localhost or 127.0.0.1, http or https).
  const originOf = (req: IncomingMessage) => `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host}`;
  const graphqlUrlFor = (req: IncomingMessage) => `${originOf(req)}${GRAPHQL_PATH}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!URL.canParse(req.url ?? '/', 'http://local')) return sendJson(res, 400, { errors: [{ errorType: 'BadRequest', message: 'The request target is not a path.' }] });
    const { pathname } = new URL(req.url ?? '/', 'http://local');
    let asset: Awaited<ReturnType<typeof consoleAsset>>;
    const isApiRoute = pathname === GRAPHQL_PATH || pathname === '/upload';
    if (isApiRoute) applyCors(req, res, corsTrust);
    if (req.method === 'OPTIONS') {
      // No CORS but for the API: pages, their scripts and the token endpoint are for this origin only.
      res.writeHead(isApiRoute ? 204 : 403).end();
    } else if (req.method === 'POST' && pathname === LOCAL_TOKEN_PATH) {
      await handleLocalToken(req, res, (request) => signToken(state.userPool, state.signingKey, request));
    } else if (req.method === 'POST' && pathname === GRAPHQL_PATH) {
      await handleGraphQL(req, res, api, auth);
    } else if (req.method === 'POST' && pathname === '/upload') {
      await serveRestUpload(req, res, restUpload!, auth.verifyToken);
    } else if (req.method === 'GET' && pathname === '/') {
      const html = consolePage({ graphqlPath: GRAPHQL_PATH, realtimePath: realtime.path, apiKey: state.apiKey });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (req.method === 'GET' && pathname.startsWith('/console/') && (asset = await consoleAsset(pathname.slice('/console/'.length)))) {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'max-age=3600' }).end(asset.body);
    } else if (req.method === 'GET' && pathname === FILES_PAGE_PATH) {
      const page = filesPage(
        options.filesPageTarget ?? { graphqlUrl: graphqlUrlFor(req), region, apiKey: state.apiKey, localTokenUrl: `${originOf(req)}${LOCAL_TOKEN_PATH}`, userPool: state.userPool },
      );
      // No framing by other pages (clickjacking of Delete).
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "frame-ancestors 'none'", 'x-frame-options': 'DENY' }).end(page);
    } else if (req.method === 'GET' && pathname === FILES_SCRIPT_PATH) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }).end(await filesScript());
    } else if (req.method === 'GET' && pathname === jwksPath) {
      sendJson(res, 200, publicJwks(state.signingKey));
    } else {
      sendJson(res, 404, { errors: [{ errorType: 'NotFound', message: `No route for ${req.method} ${pathname}: the GraphQL endpoint is POST /graphql.` }] });
    }
  };
  const host = options.host ?? '127.0.0.1';
  const hostNames = localHostNames(host);
  const corsTrust = originTrust(hostNames, () => (server.address() as AddressInfo).port, options.corsOrigins);
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (!isLocalHost(req.headers.host, hostNames)) return sendJson(res, 421, { errors: [MISDIRECTED] });
    handle(req, res).catch((error) => {
      console.error('[http] request failed', error);
      if (!res.headersSent) sendJson(res, 500, { errors: [internalFailure] });
    });
  };
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isLocalHost(req.headers.host, hostNames)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nconnection: close\r\n\r\n');
      return;
    }
    // A request line need not hold a parsable path ("GET http://[ HTTP/1.1"): refused, never thrown.
    const pathname = URL.canParse(req.url ?? '/', 'http://local') ? new URL(req.url ?? '/', 'http://local').pathname : undefined;
    if (pathname !== realtime.path) {
      socket.end(`HTTP/1.1 ${pathname === undefined ? '400 Bad Request' : '404 Not Found'}\r\nconnection: close\r\n\r\n`);
      return;
    }
    realtime.upgrade(req, socket, head).catch((error) => {
      console.error('[realtime] upgrade failed', error);
      socket.destroy();
    });
  };
  const plain = createServer(serve).on('upgrade', upgrade);
  const tls = createTlsServer({ key: certificates.key, cert: certificates.cert }, serve).on('upgrade', upgrade);
  const listener = samePortTls(plain, tls);
  const { server } = listener;
  const listenerOrigin = () => `${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, host, () => {
      // The REST proxy announces uploads to this server, IAM-signed, as it would to AppSync.
      restUpload = lazyLambdaHandler(bundlePaths.lambda('restUpload'), localLambdaEnvironment(storage, options.announceUrl ?? `http://${listenerOrigin()}${GRAPHQL_PATH}`), container);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  await lock?.listening(port, host);
  const origin = listenerOrigin();
  const graphqlUrl = `http://${origin}${GRAPHQL_PATH}`;
  for (const lambda of [...Object.values(lambdas), restUpload!]) lambda.warm();

  return {
    graphqlUrl,
    realtimeUrl: `ws://${origin}${realtime.path}`,
    restUrl: `http://${origin}/upload`,
    localTokenUrl: `http://${origin}${LOCAL_TOKEN_PATH}`,
    apiKey: state.apiKey,
    caCertFile: certificates.caCertFile,
    caCert: certificates.caCert,
    userPool: state.userPool,
    storage,
    api,
    activeSubscriptions: () => hub.size,
    lambdaInvocations: (name) => invocations.get(name) ?? 0,
    expireUploads: (now) => expireUploads.run(now),
    signToken: (request) => signToken(state.userPool, state.signingKey, request),
    async close() {
      expireUploads.stop();
      realtime.close();
      // Every connection, plain or TLS, came through the listener, which destroys them all.
      await listener.close();
      clients.dynamodb.destroy();
      clients.s3.destroy();
      await embedded?.close();
      await lock?.release();
    },
  };
}
