/**
 * One real-time WebSocket, speaking AppSync's `graphql-ws` dialect:
 * connection_init → connection_ack + ka (then ka periodically); start →
 * start_ack or error; data frames as events match; stop → complete.
 * Connection auth is checked at the handshake and answered at init
 * (connection_error 401, so clients give up instead of retrying); each start
 * carries its own auth, checked again, and the subscription's resolver runs
 * then, as AppSync authorizes subscriptions at subscribe time.
 */
import type { RawData, WebSocket } from 'ws';
import type { Authentication } from '../auth/authenticate';
import type { AppSyncError } from '../graphql/errors';
import type { GraphQLApi, GraphQLRequest } from '../graphql/graphql-api';
import type { SubscriptionHub } from './subscription-hub';

export interface RealtimeOptions {
  api: GraphQLApi;
  hub: SubscriptionHub;
  /** Authenticates a start's headers; IAM signatures cover `payload.data` posted to the GraphQL endpoint. */
  authenticateStart(headers: Record<string, string>, data: string): Promise<Authentication>;
  /** How often `ka` is sent. */
  keepAliveMs: number;
  /** Told to clients in connection_ack: how long they wait for a `ka` before giving up. */
  connectionTimeoutMs: number;
}

type ClientMessage = { type?: unknown; id?: unknown; payload?: { data?: unknown; extensions?: { authorization?: unknown } } };

const lowerCaseKeys = (headers: unknown): Record<string, string> =>
  typeof headers === 'object' && headers !== null ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])) : {};

const error = (errorType: string, message: string): Pick<AppSyncError, 'errorType' | 'message'> => ({ errorType, message });

export function serveRealtimeConnection(socket: WebSocket, handshake: Authentication, options: RealtimeOptions): void {
  // id → unsubscribe; a start's marker while it is still being authorized.
  const subscriptions = new Map<string, (() => void) | symbol>();
  let keepAlive: NodeJS.Timeout | undefined;
  let acknowledged = false;

  const send = (message: Record<string, unknown>) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const sendError = (id: string | undefined, errors: unknown[]) => send({ type: 'error', ...(id === undefined ? {} : { id }), payload: { errors } });

  function init() {
    if (!handshake.ok) {
      send({ type: 'connection_error', payload: { errors: [{ ...error('UnauthorizedException', handshake.message), errorCode: 401 }] } });
      socket.close(1000);
      return;
    }
    if (acknowledged) return;
    acknowledged = true;
    send({ type: 'connection_ack', payload: { connectionTimeoutMs: options.connectionTimeoutMs } });
    send({ type: 'ka' });
    keepAlive = setInterval(() => send({ type: 'ka' }), options.keepAliveMs);
  }

  async function start(id: string, payload: ClientMessage['payload']) {
    if (subscriptions.has(id)) return sendError(id, [error('DuplicatedOperationError', `A subscription with id ${id} is already running on this connection.`)]);
    if (typeof payload?.data !== 'string') return sendError(id, [error('MalformedRequest', 'A start message needs payload.data: the JSON string of {query, variables}.')]);
    let request: GraphQLRequest;
    try {
      request = JSON.parse(payload.data);
    } catch {
      return sendError(id, [error('MalformedRequest', 'payload.data is not JSON: send the JSON string of {query, variables}.')]);
    }
    // This start's own marker: a stop, or a stop and a new start with the same id, while it is being
    // authorized replaces it, and then this start must neither register nor clear the newer one.
    const pending = Symbol(id);
    subscriptions.set(id, pending);
    const current = () => subscriptions.get(id) === pending && socket.readyState === socket.OPEN;
    try {
      const authentication = await options.authenticateStart(lowerCaseKeys(payload.extensions?.authorization), payload.data);
      if (!current()) return;
      if (!authentication.ok) return sendError(id, [error('UnauthorizedException', authentication.message)]);
      const outcome = await options.api.subscribe(request, authentication.caller);
      if (!current()) return;
      if ('errors' in outcome) return sendError(id, outcome.errors);
      subscriptions.set(id, options.hub.add(outcome.subscription, (response) => send({ type: 'data', id, payload: response })));
      send({ type: 'start_ack', id });
    } finally {
      // Refused, failed or overtaken: the id is free again (unless a newer start holds it).
      if (subscriptions.get(id) === pending) subscriptions.delete(id);
    }
  }

  function stop(id: string) {
    const running = subscriptions.get(id);
    if (typeof running === 'function') running();
    subscriptions.delete(id);
    send({ type: 'complete', id });
  }

  async function receive(raw: RawData) {
    let message: ClientMessage;
    try {
      message = JSON.parse(raw.toString());
    } catch {
      return sendError(undefined, [error('MalformedRequest', 'Messages are JSON text frames, e.g. {"type":"connection_init"}.')]);
    }
    const id = typeof message.id === 'string' ? message.id : undefined;
    if (message.type === 'connection_init') return init();
    if (!acknowledged) return sendError(id, [error('UnauthorizedException', 'Send {"type":"connection_init"} and wait for connection_ack first.')]);
    if (message.type === 'start' && id) return start(id, message.payload);
    if (message.type === 'stop' && id) return stop(id);
    sendError(id, [error('UnsupportedOperation', `Unsupported message ${JSON.stringify(message.type)}: send connection_init, start {id, payload} or stop {id}.`)]);
  }

  socket.on('message', (raw) => {
    receive(raw).catch((failure) => {
      console.error('[realtime] message failed', failure);
      sendError(undefined, [error('InternalFailure', 'An internal error occurred.')]);
    });
  });
  // A protocol violation (e.g. a message over the size limit): ws closes the socket; without a listener the error would end the process.
  socket.on('error', (failure) => console.warn(`[realtime] connection closed: ${failure.message}`));
  socket.on('close', () => {
    clearInterval(keepAlive);
    for (const running of subscriptions.values()) if (typeof running === 'function') running();
    subscriptions.clear();
  });
}
