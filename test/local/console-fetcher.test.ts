/** The console's GraphiQL fetcher, run in Node against the real endpoints as the page runs it in a browser. */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
// @ts-expect-error: browser code in plain JavaScript, without type declarations.
import { createAppSyncFetcher } from '../../local/console/browser/appsync-fetcher.js';
import { postGraphQL, useLocalServer } from '../support/local-server';

const local = useLocalServer();

describe('the console fetcher', () => {
  it('runs queries over POST and subscriptions over the real-time socket', async () => {
    const { server } = local;
    const fetcher = createAppSyncFetcher({ graphqlUrl: server.graphqlUrl, realtimeUrl: server.realtimeUrl, WebSocketImpl: WebSocket });
    const headers = { 'x-api-key': server.apiKey };

    expect(await fetcher({ query: '{ filesByProject(projectID: "console") { items { fileID } } }' }, { headers })).toEqual({ data: { filesByProject: { items: [] } } });

    const before = server.activeSubscriptions();
    const events = fetcher({ query: 'subscription Watch { onFileUploaded(projectID: "console") { fileName } }', operationName: 'Watch' }, { headers });
    const first = events.next();
    await expect.poll(() => server.activeSubscriptions()).toBe(before + 1);
    await postGraphQL(
      server.graphqlUrl,
      { query: 'mutation { uploadFile(input: {projectID: "console", fileName: "seen.txt", fileType: "text", contentBase64: "aGk="}) { projectID fileName } }' },
      headers,
    );

    expect(await first).toEqual({ value: { data: { onFileUploaded: { fileName: 'seen.txt' } } }, done: false });
    await events.return();
    await expect.poll(() => server.activeSubscriptions()).toBe(before);
  });
});
