/**
 * Node 20 has no global WebSocket, which browser-first clients (aws-amplify)
 * expect. This installs `ws` as the global, trusting the local CA for wss:// —
 * what NODE_EXTRA_CA_CERTS does for a Node script started after the server.
 */
import { WebSocket } from 'ws';

export function installTrustingWebSocket(ca: string): () => void {
  const previous = globalThis.WebSocket;
  class TrustingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  }
  globalThis.WebSocket = TrustingWebSocket as unknown as typeof globalThis.WebSocket;
  return () => {
    globalThis.WebSocket = previous;
  };
}
