/**
 * The fan-out's subscribers, in a worker thread of their own so that reading
 * a thousand sockets does not share the server's event loop. Each socket is
 * one subscriber (connection_init, then one start); a data frame is stamped
 * (performance.timeOrigin + now(), comparable across threads) and kept raw,
 * and parsed only when the scenario collects them, so that parsing one frame
 * does not delay the stamp of the next.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { apiKeyHeader, startMessage } from '../../test/support/realtime-client';
import type { ThreadReply } from './fan-out-threads';
import { variantOf } from './fan-out-variants';

export interface ClientsData {
  /** `raw`: the baseline server (fan-out-raw.ts), which needs no subscribing: subscriber i connects to `?s=i`. */
  mode: 'api' | 'raw';
  realtimeUrl: string;
  graphqlUrl: string;
  apiKey: string;
  subscribers: number;
}

/** Scenario → clients: wait until `total` data frames arrived (or `timeoutMs` passed); hand over the frames and close. */
export type ClientsRequest = { type: 'await'; total: number; timeoutMs: number } | { type: 'collect' };
/** Clients → scenario. */
export type ClientsReply = ThreadReply | { type: 'count'; received: number } | { type: 'frames'; frames: ReceivedFrame[] };

export interface ReceivedFrame {
  subscriber: number;
  /** performance.timeOrigin + performance.now() when the frame was read. */
  at: number;
  raw: string;
}

const OPENING_AT_ONCE = 50;
const stamp = () => performance.timeOrigin + performance.now();

const { mode, realtimeUrl, graphqlUrl, apiKey, subscribers } = workerData as ClientsData;
const port = parentPort!;
const auth = apiKeyHeader(graphqlUrl, apiKey);
const protocols = ['graphql-ws', `header-${Buffer.from(JSON.stringify(auth)).toString('base64url')}`];
const frames: ReceivedFrame[] = [];
const sockets: WebSocket[] = [];
let waiting: { total: number; timer: NodeJS.Timeout } | undefined;

/** Opens subscriber i's socket and resolves once its subscription is acknowledged (raw: once open). */
function subscribe(subscriber: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = mode === 'raw' ? new WebSocket(`${realtimeUrl}?s=${subscriber}`) : new WebSocket(realtimeUrl, protocols);
    sockets.push(socket);
    socket.on('error', reject);
    socket.on('open', () => (mode === 'raw' ? resolve() : socket.send(JSON.stringify({ type: 'connection_init' }))));
    socket.on('message', (data) => {
      const at = stamp();
      const raw = String(data);
      if (raw.startsWith('{"type":"data"')) {
        frames.push({ subscriber, at, raw });
        if (waiting && frames.length >= waiting.total) answerCount();
        return;
      }
      const frame = JSON.parse(raw);
      if (frame.type === 'connection_ack') socket.send(JSON.stringify(startMessage(`s${subscriber}`, variantOf(subscriber).request, auth)));
      else if (frame.type === 'start_ack') resolve();
      else if (frame.type !== 'ka') reject(new Error(`subscriber ${subscriber} got ${raw}`));
    });
  });
}

function answerCount() {
  clearTimeout(waiting?.timer);
  waiting = undefined;
  port.postMessage({ type: 'count', received: frames.length } satisfies ClientsReply);
}

port.on('message', (request: ClientsRequest) => {
  if (request.type === 'await') {
    waiting = { total: request.total, timer: setTimeout(answerCount, request.timeoutMs) };
    if (frames.length >= request.total) answerCount();
    return;
  }
  for (const socket of sockets) socket.close(1000);
  port.postMessage({ type: 'frames', frames } satisfies ClientsReply);
});

try {
  for (let first = 0; first < subscribers; first += OPENING_AT_ONCE) {
    const batch = Array.from({ length: Math.min(OPENING_AT_ONCE, subscribers - first) }, (_, k) => subscribe(first + k));
    await Promise.all(batch);
  }
  port.postMessage({ type: 'ready' } satisfies ClientsReply);
} catch (failure) {
  port.postMessage({ type: 'failed', message: String(failure) } satisfies ClientsReply);
}
