/**
 * AppSync's real-time protocol over `ws` (Node 20 has no WebSocket of its
 * own): the auth object goes base64url-encoded in a `header-…` subprotocol
 * next to `graphql-ws`; connection_init → connection_ack (which says how long
 * to wait for a `ka`); each subscription is a start {id, payload: {data: the
 * JSON string of {query, variables}, extensions: {authorization}}} answered by
 * start_ack or error, then data frames; stop → complete.
 */
import { WebSocket, type RawData } from 'ws';
import type { Auth } from './auth';
import { CliError } from './errors';
import { networkError } from './http';
import type { Operation } from './graphql';
import type { Target } from './target';

// Frames are read field by field, as the protocol defines them.
interface Frame {
  type?: string;
  id?: string;
  payload?: { data?: unknown; errors?: { errorType?: string; message?: string }[]; connectionTimeoutMs?: number };
}

export interface RealtimeConnection {
  /** Resolves on start_ack; rejects with the API's refusal (e.g. Unauthorized). */
  subscribe<TResult, TVariables>(id: string, operation: Operation<TResult, TVariables>, variables: TVariables, onData: (data: TResult) => void): Promise<void>;
  /** Rejects when the connection fails or ends without close() (the server went away, keep-alives stopped). */
  failed: Promise<never>;
  /** Stops every subscription (waiting briefly for complete) and closes the socket. */
  close(): Promise<void>;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 2_000;

const errorOf = (frame: Frame, fallback: string): CliError => {
  const first = frame.payload?.errors?.[0];
  return new CliError(first?.errorType ?? 'RealtimeError', first?.message ?? fallback);
};

/** Resolves once the server acknowledged the connection; `signal` (Ctrl-C) gives up on connecting. */
export function openRealtime(target: Target, auth: Auth, signal: AbortSignal): Promise<RealtimeConnection> {
  const authorization = auth.realtimeHeader(target.graphqlUrl);
  const headerProtocol = `header-${Buffer.from(JSON.stringify(authorization)).toString('base64url')}`;
  const socket = new WebSocket(target.realtimeUrl, ['graphql-ws', headerProtocol], { ca: target.ca, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });

  const starts = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, (data: unknown) => void>();
  const completes = new Map<string, () => void>();
  let closing = false;
  let keepAlive: NodeJS.Timeout | undefined;
  let fail!: (error: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // Until someone awaits it, a failure must not crash the process as an unhandled rejection.
  failed.catch(() => {});

  return new Promise((resolve, reject) => {
    let acknowledged = false;
    const failWith = (error: Error) => {
      clearTimeout(keepAlive);
      for (const start of starts.values()) start.reject(error);
      starts.clear();
      if (!acknowledged) reject(error);
      else if (!closing) fail(error);
      socket.terminate();
    };
    const watchKeepAlive = (timeoutMs: number) => {
      clearTimeout(keepAlive);
      keepAlive = setTimeout(
        () => failWith(new CliError('RealtimeError', `No keep-alive from ${target.realtimeUrl} for ${timeoutMs / 1000} s: the connection is lost.`)),
        timeoutMs,
      );
      keepAlive.unref();
    };
    let timeoutMs = 300_000;

    const onAbort = () => {
      if (acknowledged) return;
      reject(signal.reason);
      socket.terminate();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('unexpected-response', (_request, response) => {
      failWith(
        new CliError(
          response.statusCode === 401 ? 'UnauthorizedException' : `HTTP${response.statusCode}`,
          `${target.realtimeUrl} refused the WebSocket (${response.statusCode}).`,
        ),
      );
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      failWith(networkError(target.realtimeUrl, error));
    });
    socket.on('close', (code) => {
      clearTimeout(keepAlive);
      if (!closing) failWith(new CliError('RealtimeError', `${target.realtimeUrl} closed the connection (code ${code}).`));
    });
    socket.on('message', (raw: RawData) => {
      let frame: Frame;
      try {
        frame = JSON.parse(raw.toString());
      } catch {
        return;
      }
      switch (frame.type) {
        case 'connection_ack':
          acknowledged = true;
          signal.removeEventListener('abort', onAbort);
          timeoutMs = frame.payload?.connectionTimeoutMs ?? timeoutMs;
          watchKeepAlive(timeoutMs);
          resolve(connection);
          break;
        case 'connection_error':
          failWith(errorOf(frame, 'The connection was refused.'));
          break;
        case 'ka':
          watchKeepAlive(timeoutMs);
          break;
        case 'start_ack':
          starts.get(frame.id ?? '')?.resolve();
          starts.delete(frame.id ?? '');
          break;
        case 'data':
          listeners.get(frame.id ?? '')?.(frame.payload);
          break;
        case 'complete':
          completes.get(frame.id ?? '')?.();
          break;
        case 'error': {
          const start = starts.get(frame.id ?? '');
          if (start) {
            starts.delete(frame.id!);
            start.reject(errorOf(frame, 'The subscription was refused.'));
          } else {
            failWith(errorOf(frame, 'The server reported an error.'));
          }
          break;
        }
      }
    });

    const connection: RealtimeConnection = {
      subscribe(id, operation, variables, onData) {
        return new Promise((resolveStart, rejectStart) => {
          starts.set(id, { resolve: resolveStart, reject: rejectStart });
          listeners.set(id, (payload) => onData((payload as { data: never }).data));
          const data = JSON.stringify({ query: operation.toString(), variables });
          socket.send(JSON.stringify({ id, type: 'start', payload: { data, extensions: { authorization } } }));
        });
      },
      failed,
      async close() {
        closing = true;
        clearTimeout(keepAlive);
        if (socket.readyState === WebSocket.OPEN) {
          const stopped = [...listeners.keys()].map(
            (id) =>
              new Promise<void>((done) => {
                completes.set(id, done);
                socket.send(JSON.stringify({ id, type: 'stop' }));
              }),
          );
          await Promise.race([Promise.all(stopped), new Promise((done) => setTimeout(done, STOP_TIMEOUT_MS).unref())]);
          await new Promise<void>((done) => {
            socket.once('close', () => done());
            socket.close(1000);
            // A server that never answers the close frame must not keep the process alive.
            setTimeout(() => {
              socket.terminate();
              done();
            }, STOP_TIMEOUT_MS).unref();
          });
        } else {
          socket.terminate();
        }
      },
    };
  });
}
