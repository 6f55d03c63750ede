/**
 * The fan-out's raw baseline: a bare `ws` server in the server's thread that
 * writes each subscriber the frame the API would (the payload encoded once
 * per selection, the id spliced in), straight from a loop — no GraphQL, no
 * hub, no HTTP. What it takes is the floor of a thousand socket writes here.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { VARIANTS, variantOf, type Variant } from './fan-out-variants';

// Files are read field by field, as a client would.
type Json = any;

export interface RawFanOutServer {
  url: string;
  /** Writes every subscriber its frame for `file`; returns when the loop began (performance.timeOrigin + now()). */
  publish(file: Json): number;
  close(): Promise<void>;
}

export async function startRawFanOutServer(): Promise<RawFanOutServer> {
  const server = new WebSocketServer({ port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const subscribers: { socket: WebSocket; variant: Variant; framePrefix: string }[] = [];
  server.on('connection', (socket, request) => {
    // Clients say which subscriber they are: ?s=<index>.
    const subscriber = Number(new URL(request.url ?? '', 'http://raw').searchParams.get('s'));
    subscribers.push({ socket, variant: variantOf(subscriber), framePrefix: `{"type":"data","id":"s${subscriber}","payload":` });
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    publish(file) {
      const began = performance.timeOrigin + performance.now();
      const payloads = new Map(VARIANTS.map((variant) => [variant, variant.expected(file) === undefined ? undefined : JSON.stringify(variant.expected(file))]));
      for (const { socket, variant, framePrefix } of subscribers) {
        const payload = payloads.get(variant);
        if (payload !== undefined) socket.send(`${framePrefix}${payload}}`);
      }
      return began;
    },
    async close() {
      for (const { socket } of subscribers) socket.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
