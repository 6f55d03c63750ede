/**
 * A bare AppSync real-time client over `ws`, for exact-frame tests: it
 * opens the socket the way stock clients do and queues what the server says.
 */
import { WebSocket } from 'ws';

// Frames are read field by field, as a client would.
type Frame = any;

export interface RealtimeSession {
  socket: WebSocket;
  /** The subprotocol the server selected. */
  protocol: string;
  /** Resolves with the next frame for which `accept` holds (by default any frame but `ka`). */
  next(accept?: (frame: Frame) => boolean): Promise<Frame>;
  send(message: unknown): void;
  /** Frames received and not yet taken by next(). */
  pending: Frame[];
  closed: Promise<number>;
  close(): void;
}

export interface OpenOptions {
  /** Send the auth header the aws-amplify ≤ 6.4 way: ?header=<base64>&payload=e30= */
  legacyQueryString?: boolean;
  /** Trust this CA for wss:// URLs. */
  ca?: string;
}

export async function openRealtime(url: string, authHeader: object, options: OpenOptions = {}): Promise<RealtimeSession> {
  const json = JSON.stringify(authHeader);
  const socket = options.legacyQueryString
    ? new WebSocket(`${url}?header=${Buffer.from(json).toString('base64')}&payload=e30=`, ['graphql-ws'], { ca: options.ca })
    : new WebSocket(url, ['graphql-ws', `header-${Buffer.from(json).toString('base64url')}`], { ca: options.ca });
  const pending: Frame[] = [];
  const waiters: { accept: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    const waiter = waiters.findIndex((w) => w.accept(frame));
    if (waiter >= 0) waiters.splice(waiter, 1)[0].resolve(frame);
    else pending.push(frame);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    protocol: socket.protocol,
    pending,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    next(accept = (frame) => frame.type !== 'ka') {
      const index = pending.findIndex(accept);
      if (index >= 0) return Promise.resolve(pending.splice(index, 1)[0]);
      return new Promise((resolve) => waiters.push({ accept, resolve }));
    },
    close: () => socket.close(1000),
  };
}

/** The auth header object a client sends for an API key. */
export const apiKeyHeader = (graphqlUrl: string, apiKey: string) => ({ host: new URL(graphqlUrl).host, 'x-amz-date': '20261125T120000Z', 'x-api-key': apiKey });

export const tokenHeader = (graphqlUrl: string, token: string) => ({ Authorization: token, host: new URL(graphqlUrl).host });

/** A start message as stock clients send it: the request as a JSON string, auth repeated. */
export const startMessage = (id: string, request: { query: string; variables?: Record<string, unknown> }, authorization: object) => ({
  id,
  type: 'start',
  payload: { data: JSON.stringify(request), extensions: { authorization } },
});
