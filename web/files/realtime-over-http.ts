/**
 * aws-amplify v6 always opens its real-time socket with wss://, even for an
 * http:// endpoint, and has no switch for it (v5's
 * aws_appsync_dangerously_connect_to_http_endpoint_for_testing is gone). A
 * page served by the local server over plain http would then need the local
 * CA trusted for live updates. This downgrades exactly that case — a wss://
 * URL to the page's own host, on a page served over http: — to ws://, the
 * same server on the same port. A page served over https (any deployed
 * stack) is left untouched.
 */
export function downgradeOwnRealtimeSocket(): void {
  if (location.protocol !== 'http:') return;
  const Native = window.WebSocket;
  const ownTls = `wss://${location.host}/`;
  class SameOriginWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      const target = String(url);
      super(target.startsWith(ownTls) ? `ws://${target.slice('wss://'.length)}` : target, protocols);
    }
  }
  window.WebSocket = SameOriginWebSocket;
}
