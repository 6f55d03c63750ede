/**
 * The whole API on one machine, as a function: embedded storage (or given
 * endpoints), the bundled resolvers and Lambda wired from the API
 * definition, and AppSync's HTTP protocol. `npm start` and the tests call it.
 */
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { bundlePaths } from '../infra/bundle';
import { signToken, tokenVerifier, type TokenRequest, type UserPool } from './auth/cognito-tokens';
import type { AuthConfig } from './auth/authenticate';
import type { DeployedPageTarget } from './files-page/files-page';
import { lazyLambdaHandler, type InvocationCounts } from './data-sources/lambda';
import { dataSourceLambdas, type DataSourceLambdaName } from '../infra/api-definition';
import { createGraphQLApi, type GraphQLApi } from './graphql/graphql-api';
import { loadSchema } from './graphql/schema';
import { LOCAL_TOKEN_PATH } from './http/local-token-endpoint';
import { localHostNames } from './http/host-check';
import { originTrust } from './http/cors';
import { createRouter, GRAPHQL_PATH, REST_UPLOAD_PATH } from './http/router';
import { loadResolvers } from './load-resolvers';
import { uploadExpiry } from './upload-expiry';
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
  const lambdas = Object.fromEntries(
    dataSourceLambdas.map((name) => [name, lazyLambdaHandler(bundlePaths.lambda(name), lambdaEnvironment, container)]),
  ) as Record<DataSourceLambdaName, ReturnType<typeof lazyLambdaHandler>>;
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
  const host = options.host ?? '127.0.0.1';
  const hostNames = localHostNames(host);
  const { serve, upgrade } = createRouter({
    api,
    auth,
    state,
    region,
    realtime,
    hostNames,
    corsTrust: originTrust(hostNames, () => (server.address() as AddressInfo).port, options.corsOrigins),
    restUpload: () => restUpload!,
    filesPageTarget: options.filesPageTarget,
  });
  const plain = createServer(serve).on('upgrade', upgrade);
  const tls = createTlsServer({ key: certificates.key, cert: certificates.cert }, serve).on('upgrade', upgrade);
  const listener = samePortTls(plain, tls);
  const { server } = listener;
  const listenerOrigin = () => `${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, host, () => {
      // The REST proxy announces uploads to this server, IAM-signed, as it would to AppSync.
      restUpload = lazyLambdaHandler(
        bundlePaths.lambda('restUpload'),
        localLambdaEnvironment(storage, options.announceUrl ?? `http://${listenerOrigin()}${GRAPHQL_PATH}`),
        container,
      );
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
    restUrl: `http://${origin}${REST_UPLOAD_PATH}`,
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
