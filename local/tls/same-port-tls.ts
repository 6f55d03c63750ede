/**
 * Plain HTTP and TLS on one port: stock aws-amplify v6 dials `wss://` on the
 * host:port of an `http://` endpoint, so both must answer there. A TLS
 * connection starts with a handshake record (first byte 0x16); anything else
 * is plain HTTP. Each connection is handed, unread, to the server that
 * speaks its protocol.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';

const TLS_HANDSHAKE_RECORD = 0x16;

export interface SamePortServer {
  server: Server;
  /** Stops accepting and destroys every open connection. */
  close(): Promise<void>;
}

export function samePortTls(plain: HttpServer, tls: HttpsServer): SamePortServer {
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    // A client that resets before its first byte would otherwise raise an uncaught error; the servers handle the rest.
    socket.on('error', () => socket.destroy());
    socket.once('readable', () => {
      const first: Buffer | null = socket.read(1);
      if (first === null) return socket.destroy();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE_RECORD ? tls : plain).emit('connection', socket);
    });
  });
  return {
    server,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
