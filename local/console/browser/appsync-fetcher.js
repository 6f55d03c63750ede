// Runs in the browser (the console page) and in Node tests: a GraphiQL
// fetcher that speaks AppSync's protocols — queries and mutations as HTTP
// POST, subscriptions over the real-time WebSocket (graphql-ws subprotocol,
// auth in the `header-…` subprotocol, start/data/error/stop messages).

const SUBSCRIPTION = /^\s*subscription\b/;

/** The operation GraphiQL asked for is a subscription. */
function isSubscription(query, operationName) {
  const text = query.replace(/#[^\n]*/g, '');
  const operations = text.split(/(?=\b(?:query|mutation|subscription)\b)/).map((part) => part.trim());
  const chosen = operationName
    ? operations.find((op) => new RegExp(`^(query|mutation|subscription)\\s+${operationName}\\b`).test(op))
    : (operations.find((op) => /^(query|mutation|subscription)\b/.test(op)) ?? operations[0]);
  return SUBSCRIPTION.test(chosen ?? '');
}

const base64Url = (text) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** AppSync's auth header for the WebSocket: the API key or token, plus the host. */
function authHeader(graphqlUrl, headers) {
  const auth = Object.fromEntries(Object.entries(headers).filter(([name]) => ['x-api-key', 'authorization'].includes(name.toLowerCase())));
  return { host: new URL(graphqlUrl).host, ...auth };
}

function subscribe({ graphqlUrl, realtimeUrl, WebSocketImpl }, params, headers) {
  const queue = [];
  const waiting = [];
  let done = false;
  const id = crypto.randomUUID();
  const auth = authHeader(graphqlUrl, headers);
  const socket = new WebSocketImpl(realtimeUrl, ['graphql-ws', `header-${base64Url(JSON.stringify(auth))}`]);

  const push = (result) => {
    const next = waiting.shift();
    if (next) next({ value: result, done: false });
    else queue.push(result);
  };
  const finish = () => {
    done = true;
    for (const next of waiting.splice(0)) next({ value: undefined, done: true });
  };

  socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
  socket.onmessage = (event) => {
    const message = JSON.parse(typeof event.data === 'string' ? event.data : String(event.data));
    switch (message.type) {
      case 'connection_ack':
        socket.send(
          JSON.stringify({
            id,
            type: 'start',
            payload: { data: JSON.stringify({ query: params.query, variables: params.variables ?? {} }), extensions: { authorization: auth } },
          }),
        );
        break;
      case 'data':
        push(message.payload);
        break;
      case 'error':
      case 'connection_error':
        push({ errors: message.payload?.errors ?? [{ message: 'The subscription was refused.' }] });
        socket.close(1000);
        break;
      case 'complete':
        socket.close(1000);
        break;
      default:
        break; // ka, start_ack
    }
  };
  socket.onclose = finish;
  socket.onerror = () => push({ errors: [{ message: `Could not connect to ${realtimeUrl}.` }] });

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return() {
      if (socket.readyState === 1) socket.send(JSON.stringify({ id, type: 'stop' }));
      socket.close(1000);
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
  };
}

export function createAppSyncFetcher({ graphqlUrl, realtimeUrl, WebSocketImpl = globalThis.WebSocket }) {
  return (params, options = {}) => {
    const headers = options.headers ?? {};
    if (isSubscription(params.query, params.operationName)) {
      return subscribe({ graphqlUrl, realtimeUrl, WebSocketImpl }, params, headers);
    }
    return fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(params),
    }).then((response) => response.json());
  };
}
