/**
 * One real-time WebSocket, speaking AppSync's `graphql-ws` dialect:
 * connection_init (optional, as in AWS's guide) → connection_ack + ka (then
 * ka periodically); start → start_ack or error; data frames as events match;
 * stop → complete. Connection auth is checked at the handshake and answered
 * at init or the first start (connection_error 401, so clients give up
 * instead of retrying); each start carries its own auth, checked again, and
 * the subscription's resolver runs then, as AppSync authorizes subscriptions
 * at subscribe time. AppSync's limits hold: 100 subscriptions a connection,
 * events up to 240 KB, a connection without subscriptions closed when idle;
 * and a reader too slow to take its events (its backlog past the bound for
 * longer than a burst lasts) is dropped, not buffered for.
 */
import type { RawData, WebSocket } from 'ws';
import type { Authentication } from '../auth/authenticate';
import { internalFailure, type AppSyncError, type ProtocolErrorType } from '../graphql/errors';
import type { GraphQLApi, GraphQLRequest } from '../graphql/graphql-api';
import type { EncodedEvent, SubscriptionHub } from './subscription-hub';

export interface RealtimeOptions {
  api: GraphQLApi;
  hub: SubscriptionHub;
  /** Authenticates a start's headers; IAM signatures cover `payload.data` posted to the GraphQL endpoint. */
  authenticateStart(headers: Record<string, string>, data: string): Promise<Authentication>;
  /** How often `ka` is sent. */
  keepAliveMs: number;
  /** Told to clients in connection_ack: how long they wait for a `ka` before giving up. */
  connectionTimeoutMs: number;
  limits: RealtimeLimits;
}

export interface RealtimeLimits {
  /** A connection running no subscription (one that never sent a message too) is closed after this long. */
  idleTimeoutMs: number;
  /** AppSync: 100 subscriptions per connection. */
  maxSubscriptions: number;
  /** AppSync does not deliver an event whose payload is larger (240 KB). */
  maxEventBytes: number;
  /** Bytes queued for a reader that does not read: still past this after the grace period, the subscriber is dropped. */
  maxBufferedBytes: number;
  /** How long a backlog may stay past maxBufferedBytes: one event fanned out to 100 subscriptions is a burst a reader takes in moments. */
  slowReaderGraceMs: number;
}

/** A backlog this many times the bound is dropped at once, without waiting for the grace period. */
const BACKLOG_CEILING_FACTOR = 4;

/** Close codes: a connection idle past its time; a subscriber whose unread events passed the bound (the code AppSync's real-time service uses for a policy breach is not documented; 1008 is WebSocket's). */
export const IDLE_CLOSE = { code: 1000, reason: 'Idle: no subscription for the connection timeout' } as const;
export const SLOW_READER_CLOSE = { code: 1008, reason: 'Subscriber too slow: unread events passed the bound' } as const;

type ClientMessage = { type?: unknown; id?: unknown; payload?: { data?: unknown; extensions?: { authorization?: unknown } } };

const lowerCaseKeys = (headers: unknown): Record<string, string> =>
  typeof headers === 'object' && headers !== null ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])) : {};

const error = (errorType: ProtocolErrorType, message: string): Pick<AppSyncError, 'errorType' | 'message'> => ({ errorType, message });

export function serveRealtimeConnection(socket: WebSocket, handshake: Authentication, options: RealtimeOptions): void {
  // id → unsubscribe; a start's marker while it is still being authorized.
  const subscriptions = new Map<string, (() => void) | symbol>();
  let keepAlive: NodeJS.Timeout | undefined;
  let acknowledged = false;
  let idle: NodeJS.Timeout | undefined;
  const { limits } = options;

  // The idle deadline runs from the upgrade, and again from the end of the last running subscription. Only a
  // subscription that registered stops it: stops of unknown ids and failed starts leave it where it was.
  let idleDeadline: number | undefined;
  const idleFromNow = () => {
    idleDeadline = Date.now() + limits.idleTimeoutMs;
    clearTimeout(idle);
    // Checked after the event loop's I/O: a start that arrived while the process was busy past the deadline is
    // read (and holds the close off) before the timer may close its socket.
    idle = setTimeout(() => setImmediate(closeIfIdle), limits.idleTimeoutMs);
  };
  // A start still being authorized holds the close off; when it fails it checks the deadline again.
  function closeIfIdle() {
    if (idleDeadline !== undefined && subscriptions.size === 0 && Date.now() >= idleDeadline) socket.close(IDLE_CLOSE.code, IDLE_CLOSE.reason);
  }
  idleFromNow();

  // Never awaited: a write queues behind what this reader has not taken, and the fan-out goes on to the next socket.
  const sendText = (text: string) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(text);
    watchBacklog();
  };
  const send = (message: Record<string, unknown>) => sendText(JSON.stringify(message));
  // All renders of one event land in the same tick, so a backlog past the bound may be a burst: the
  // subscriber is dropped only if it is still past it after the grace period (or far past it now).
  let backlogCheck: NodeJS.Timeout | undefined;
  function watchBacklog() {
    if (socket.bufferedAmount > limits.maxBufferedBytes * BACKLOG_CEILING_FACTOR) return dropSlowReader();
    if (socket.bufferedAmount <= limits.maxBufferedBytes || backlogCheck) return;
    backlogCheck = setTimeout(() => {
      backlogCheck = undefined;
      if (socket.readyState === socket.OPEN && socket.bufferedAmount > limits.maxBufferedBytes) dropSlowReader();
    }, limits.slowReaderGraceMs);
  }
  // Stop producing for it at once; the close frame reaches it behind what it has not read yet.
  function dropSlowReader() {
    console.warn(`[realtime] dropping a subscriber with ${socket.bufferedAmount} bytes unread (bound ${limits.maxBufferedBytes})`);
    stopAll();
    socket.close(SLOW_READER_CLOSE.code, SLOW_READER_CLOSE.reason);
  }
  function stopAll() {
    clearInterval(keepAlive);
    clearTimeout(idle);
    clearTimeout(backlogCheck);
    for (const running of subscriptions.values()) if (typeof running === 'function') running();
    subscriptions.clear();
  }
  /** The payload, encoded once for all its subscribers, spliced into this subscription's frame: the text JSON.stringify({ type, id, payload }) gives. */
  const deliver = (id: string) => {
    const framePrefix = `{"type":"data","id":${JSON.stringify(id)},"payload":`;
    return ({ json, bytes }: EncodedEvent) => {
      // As AppSync: an event over the limit is not delivered.
      if (bytes > limits.maxEventBytes)
        return console.warn(`[realtime] event for subscription ${id} not delivered: ${bytes} bytes, over AppSync's ${limits.maxEventBytes}`);
      sendText(`${framePrefix}${json}}`);
    };
  };
  const sendError = (id: string | undefined, errors: unknown[]) => send({ type: 'error', ...(id === undefined ? {} : { id }), payload: { errors } });

  /** Whether the handshake's auth holds; if not, says so as AppSync does (connection_error 401) and closes. */
  function handshakeAccepted(): boolean {
    if (handshake.ok) return true;
    send({ type: 'connection_error', payload: { errors: [{ ...error('UnauthorizedException', handshake.message), errorCode: 401 }] } });
    socket.close(1000);
    return false;
  }

  function init() {
    if (!handshakeAccepted() || acknowledged) return;
    acknowledged = true;
    send({ type: 'connection_ack', payload: { connectionTimeoutMs: options.connectionTimeoutMs } });
    send({ type: 'ka' });
    keepAlive = setInterval(() => send({ type: 'ka' }), options.keepAliveMs);
  }

  async function start(id: string, payload: ClientMessage['payload']) {
    if (!handshakeAccepted()) return;
    if (subscriptions.has(id)) return sendError(id, [error('DuplicatedOperationError', `A subscription with id ${id} is already running on this connection.`)]);
    if (subscriptions.size >= limits.maxSubscriptions) {
      return sendError(id, [
        error(
          'MaxSubscriptionsReachedError',
          `Max number of ${limits.maxSubscriptions} subscriptions reached: stop one on this connection, or open another connection.`,
        ),
      ]);
    }
    if (typeof payload?.data !== 'string')
      return sendError(id, [error('MalformedRequest', 'A start message needs payload.data: the JSON string of {query, variables}.')]);
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
      subscriptions.set(
        id,
        options.hub.add(outcome.subscription, deliver(id), () => stop(id)),
      );
      idleDeadline = undefined;
      clearTimeout(idle);
      send({ type: 'start_ack', id });
    } finally {
      // Refused, failed or overtaken: the id is free again (unless a newer start holds it).
      if (subscriptions.get(id) === pending) subscriptions.delete(id);
      closeIfIdle();
    }
  }

  function stop(id: string) {
    if (!handshakeAccepted()) return;
    const running = subscriptions.get(id);
    if (typeof running === 'function') running();
    subscriptions.delete(id);
    if (typeof running === 'function' && ![...subscriptions.values()].some((other) => typeof other === 'function')) idleFromNow();
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
    if (message.type === 'start' && id) return start(id, message.payload);
    if (message.type === 'stop' && id) return stop(id);
    sendError(id, [
      error('UnsupportedOperation', `Unsupported message ${JSON.stringify(message.type)}: send connection_init, start {id, payload} or stop {id}.`),
    ]);
  }

  socket.on('message', (raw) => {
    receive(raw).catch((failure) => {
      console.error('[realtime] message failed', failure);
      sendError(undefined, [internalFailure]);
    });
  });
  // A protocol violation (e.g. a message over the size limit): ws closes the socket; without a listener the error would end the process.
  socket.on('error', (failure) => console.warn(`[realtime] connection closed: ${failure.message}`));
  socket.on('close', stopAll);
}
