/** The console's GraphiQL fetcher, run in Node against the real endpoints as the page runs it in a browser. */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
// @ts-expect-error: browser code in plain JavaScript, without type declarations.
import { createAppSyncFetcher } from '../../local/console/browser/appsync-fetcher.js';
import { postGraphQL, useLocalServer } from '../support/local-server';

const local = useLocalServer();

type Frame = { type: string; id?: string };

/** The WebSocket the fetcher opens, with every frame the server sends it kept, to wait on instead of polling. */
class WatchedWebSocket extends WebSocket {
  static last: WatchedWebSocket;
  readonly frames: Frame[] = [];

  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    WatchedWebSocket.last = this;
    this.on('message', (data) => this.frames.push(JSON.parse(String(data))));
  }

  /** The first frame of `type`, as soon as it arrives. */
  async frame(type: string): Promise<Frame> {
    for (;;) {
      const seen = this.frames.find((frame) => frame.type === type);
      if (seen) return seen;
      await once(this, 'message');
    }
  }
}

describe('the console fetcher', () => {
  it('runs queries over POST and subscriptions over the real-time socket', async () => {
    const { server } = local;
    const fetcher = createAppSyncFetcher({ graphqlUrl: server.graphqlUrl, realtimeUrl: server.realtimeUrl, WebSocketImpl: WatchedWebSocket });
    const headers = { 'x-api-key': server.apiKey };

    expect(await fetcher({ query: '{ filesByProject(projectID: "console") { items { fileID } } }' }, { headers })).toEqual({
      data: { filesByProject: { items: [] } },
    });

    const before = server.activeSubscriptions();
    const events = fetcher({ query: 'subscription Watch { onFileUploaded(projectID: "console") { fileName } }', operationName: 'Watch' }, { headers });
    const first = events.next();
    const socket = WatchedWebSocket.last;
    // The server registers the subscription before it acknowledges it.
    const { id } = await socket.frame('start_ack');
    expect(server.activeSubscriptions()).toBe(before + 1);
    await postGraphQL(
      server.graphqlUrl,
      { query: 'mutation { uploadFile(input: {projectID: "console", fileName: "seen.txt", fileType: "text", contentBase64: "aGk="}) { projectID fileName } }' },
      headers,
    );

    expect(await first).toEqual({ value: { data: { onFileUploaded: { fileName: 'seen.txt' } } }, done: false });
    const closed = once(socket, 'close');
    await events.return();
    // The server answers the stop with complete before it answers the close: the subscription is gone by then.
    await closed;
    expect(socket.frames.at(-1)).toEqual({ type: 'complete', id });
    expect(server.activeSubscriptions()).toBe(before);
  });
});
