/**
 * `<graphql endpoint>/realtime`: the WebSocket upgrade, authenticated from
 * the handshake headers, then one protocol session per socket.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { authenticate, type Authentication, type AuthConfig } from '../auth/authenticate';
import type { GraphQLApi } from '../graphql/graphql-api';
import { sourceIpOf } from '../http/http-io';
import { handshakeHeaders, selectProtocol } from './handshake-headers';
import { serveRealtimeConnection, type RealtimeLimits } from './realtime-connection';
import type { SubscriptionHub } from './subscription-hub';

export interface RealtimeEndpointOptions {
  api: GraphQLApi;
  hub: SubscriptionHub;
  auth: AuthConfig;
  /** The GraphQL endpoint's path; the socket lives at `<path>/realtime`. */
  graphqlPath: string;
  keepAliveMs?: number;
  /** AppSync's limits by default; tests shorten them. */
  limits?: Partial<RealtimeLimits>;
}

/** Apollo's link errors every subscription when no ka arrives for this long. */
const CONNECTION_TIMEOUT_MS = 300_000;
const KEEP_ALIVE_MS = 60_000;
/** AppSync's limit on a message a client sends over the socket. */
const MAX_CLIENT_MESSAGE_BYTES = 1_048_576;
/** AppSync's quotas (subscriptions per connection, subscription payload); the idle time is the one AppSync announces; the unread bound is this server's. */
const APPSYNC_LIMITS: RealtimeLimits = {
  idleTimeoutMs: CONNECTION_TIMEOUT_MS,
  maxSubscriptions: 100,
  maxEventBytes: 240 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  slowReaderGraceMs: 5_000,
};

export function createRealtimeEndpoint(options: RealtimeEndpointOptions) {
  const { auth, graphqlPath } = options;
  const sockets = new WebSocketServer({ noServer: true, handleProtocols: selectProtocol, maxPayload: MAX_CLIENT_MESSAGE_BYTES });

  // IAM callers sign the connection as a POST of "{}" to <endpoint>/connect, and each start as a POST of its data to the endpoint.
  const signedAs = (headers: Record<string, string>, path: string, body: string, sourceIp: string): Promise<Authentication> =>
    authenticate(auth, { method: 'POST', url: new URL(path, `http://${headers.host ?? 'localhost'}`), headers, body }, sourceIp);

  return {
    path: `${graphqlPath}/realtime`,

    /** Handles an HTTP upgrade already routed to `path`. */
    async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
      const sourceIp = sourceIpOf(req);
      const headers = handshakeHeaders(req);
      const handshake: Authentication = headers
        ? await signedAs(headers, `${graphqlPath}/connect`, '{}', sourceIp)
        : { ok: false, message: 'No auth headers: send them base64url-encoded in a "header-…" subprotocol (or ?header=…), as AppSync clients do.' };
      sockets.handleUpgrade(req, socket, head, (ws) => {
        serveRealtimeConnection(ws, handshake, {
          api: options.api,
          hub: options.hub,
          authenticateStart: (startHeaders, data) => signedAs(startHeaders, graphqlPath, data, sourceIp),
          keepAliveMs: options.keepAliveMs ?? KEEP_ALIVE_MS,
          connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
          limits: { ...APPSYNC_LIMITS, ...options.limits },
        });
      });
    },

    close(): void {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
    },
  };
}
