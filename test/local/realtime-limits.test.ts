import { afterEach, describe, expect, it } from 'vitest';
import { IDLE_CLOSE, SLOW_READER_CLOSE } from '../../local/realtime/realtime-connection';
import { postGraphQL, useLocalServer } from '../support/local-server';
import { apiKeyHeader, openRealtime, startMessage, type RealtimeSession } from '../support/realtime-client';

// AppSync's subscription and payload limits and the server's unread bound as they are; the idle time and the slow reader's grace shortened.
// Long enough that a loaded machine (tests run two at a time) still sends a socket's first start within it.
const IDLE_MS = 1_500;
const local = useLocalServer({ realtimeLimits: { idleTimeoutMs: IDLE_MS, slowReaderGraceMs: 1_000 } });

const sessions: RealtimeSession[] = [];
afterEach(async () => {
  const closing = sessions.splice(0);
  for (const session of closing) session.close();
  await Promise.all(closing.map((session) => session.closed));
});
async function connect() {
  const session = await openRealtime(local.server.realtimeUrl, apiKeyHeader(local.server.graphqlUrl, local.server.apiKey));
  sessions.push(session);
  return session;
}
const auth = () => apiKeyHeader(local.server.graphqlUrl, local.server.apiKey);

/** A long file name selected `copies` times under aliases: an event of about copies × 190 bytes. */
const LONG_NAME = `${'n'.repeat(176)}.txt`;
const bulky = (projectID: string, copies: number) => ({
  query: `subscription S($p: ID!) { onFileUploaded(projectID: $p) { ${Array.from({ length: copies }, (_, i) => `a${i}: fileName`).join(' ')} } }`,
  variables: { p: projectID },
});
const upload = (projectID: string) =>
  postGraphQL(
    local.server.graphqlUrl,
    {
      query: 'mutation U($in: UploadFileInput!) { uploadFile(input: $in) { fileID projectID fileName } }',
      variables: { in: { projectID, fileName: LONG_NAME, fileType: 'text', contentBase64: Buffer.from('x').toString('base64') } },
    },
    { 'x-api-key': local.server.apiKey },
  );

async function subscribe(session: RealtimeSession, id: string, request: { query: string; variables?: Record<string, unknown> }) {
  session.send(startMessage(id, request, auth()));
  return session.next((frame) => frame.id === id);
}

describe('real-time limits, as AppSync sets them', () => {
  it('refuses the 101st subscription of a connection with MaxSubscriptionsReachedError', async () => {
    const session = await connect();
    for (let i = 0; i < 100; i += 1) expect(await subscribe(session, `s${i}`, bulky('lim-100', 1))).toEqual({ type: 'start_ack', id: `s${i}` });

    expect(await subscribe(session, 's100', bulky('lim-100', 1))).toEqual({
      type: 'error',
      id: 's100',
      payload: { errors: [{ errorType: 'MaxSubscriptionsReachedError', message: expect.stringContaining('Max number of 100 subscriptions reached') }] },
    });
    session.send({ type: 'stop', id: 's0' });
    expect(await subscribe(session, 's100', bulky('lim-100', 1))).toEqual({ type: 'start_ack', id: 's100' });
  });

  it('does not deliver an event over 240 KB; one under it arrives', async () => {
    const session = await connect();
    await subscribe(session, 'over', bulky('lim-size', 1400));
    await subscribe(session, 'under', bulky('lim-size', 1100));

    await upload('lim-size');

    const delivered = await session.next((frame) => frame.type === 'data');
    expect(delivered.id).toBe('under');
    expect(Buffer.byteLength(JSON.stringify(delivered.payload))).toBeGreaterThan(200 * 1024);
    // A second event, after which the first cannot still be on its way.
    await upload('lim-size');
    expect((await session.next((frame) => frame.type === 'data')).id).toBe('under');
    expect(session.pending.filter((frame) => frame.type === 'data')).toEqual([]);
  });

  it('closes a socket that sends nothing, and one whose last subscription stopped, after the idle time; not one with a subscription', async () => {
    const silent = await connect();
    const stopped = await connect();
    const watching = await connect();
    await subscribe(stopped, 'brief', bulky('lim-idle', 1));
    stopped.send({ type: 'stop', id: 'brief' });
    await subscribe(watching, 'long', bulky('lim-idle', 1));

    expect(await silent.closed).toBe(IDLE_CLOSE.code);
    expect(await stopped.closed).toBe(IDLE_CLOSE.code);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 2));
    expect(watching.socket.readyState).toBe(watching.socket.OPEN);
  });

  it('serves a start sent before the idle deadline but read after it, when the process was busy in between', async () => {
    const session = await connect();
    session.send(startMessage('late', bulky('lim-busy', 1), auth()));
    // The server shares this process: blocked past the deadline, it finds the timer due and the start unread.
    const until = Date.now() + IDLE_MS + 300;
    while (Date.now() < until);

    expect(await session.next((frame) => frame.id === 'late')).toEqual({ type: 'start_ack', id: 'late' });
  });

  it('keeps the idle deadline for a socket that only sends stops for unknown ids or failing starts', async () => {
    const stopping = await connect();
    const failing = await connect();
    const opened = Date.now();
    const nudges = setInterval(() => {
      if (stopping.socket.readyState === stopping.socket.OPEN) stopping.send({ type: 'stop', id: 'never-started' });
      if (failing.socket.readyState === failing.socket.OPEN) failing.send(startMessage('bad', { query: 'subscription { noSuchField }' }, auth()));
    }, 100);
    try {
      expect(await stopping.closed).toBe(IDLE_CLOSE.code);
      expect(await failing.closed).toBe(IDLE_CLOSE.code);
      // Nudged every 100 ms, yet closed on the deadline set at the upgrade (never moved on by the nudges).
      expect(Date.now() - opened).toBeLessThan(IDLE_MS * 2);
    } finally {
      clearInterval(nudges);
    }
  });

  it('answers a stop on a connection whose handshake auth failed with connection_error 401, then closes', async () => {
    const session = await openRealtime(local.server.realtimeUrl, apiKeyHeader(local.server.graphqlUrl, 'da2-not-a-key'));
    sessions.push(session);
    session.send({ type: 'stop', id: 'x' });
    expect(await session.next()).toMatchObject({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 401 }] } });
    expect(await session.closed).toBe(1000);
  });

  it('keeps a subscriber that reads through a full-size fan-out: 100 subscriptions with events near 240 KB', async () => {
    const session = await connect();
    for (let i = 0; i < 100; i += 1) await subscribe(session, `full${i}`, bulky('lim-full', 1100));

    await upload('lim-full');
    const closed = session.closed.then((code) => ({ type: `closed with ${code}` }));
    for (let i = 0; i < 100; i += 1) expect((await Promise.race([session.next((frame) => frame.type === 'data'), closed])).type).toBe('data');

    // Past the grace period, still open.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(session.socket.readyState).toBe(session.socket.OPEN);
  });

  it('writes a fast reader its frame while a paused one still has its backlog queued, and the paused one gets every frame when it reads again', async () => {
    const slow = await connect();
    for (let i = 0; i < 40; i += 1) await subscribe(slow, `backlog${i}`, bulky('lim-pause', 1100));
    const fast = await connect();
    await subscribe(fast, 'fast', { query: 'subscription S($p: ID!) { onFileUploaded(projectID: $p) { fileID } }', variables: { p: 'lim-pause' } });
    // About 8 MB for the paused reader: past what the kernel buffers, under the bound.
    (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    const uploaded = await upload('lim-pause');

    expect(await fast.next((frame) => frame.type === 'data')).toEqual({
      type: 'data',
      id: 'fast',
      payload: { data: { onFileUploaded: { fileID: uploaded.body.data.uploadFile.fileID } } },
    });
    expect(slow.pending.filter((frame) => frame.type === 'data')).toEqual([]);
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    for (let i = 0; i < 40; i += 1)
      expect(await slow.next((frame) => frame.type === 'data')).toMatchObject({ payload: { data: { onFileUploaded: { a0: LONG_NAME } } } });
    expect(slow.socket.readyState).toBe(slow.socket.OPEN);
  });

  it('drops a subscriber (close 1008) that does not read, once what it has not read passes the bound, and frees its subscriptions', async () => {
    const session = await connect();
    const before = local.server.activeSubscriptions();
    for (let i = 0; i < 100; i += 1) await subscribe(session, `slow${i}`, bulky('lim-slow', 1100));
    // The client stops reading: the kernel's buffers fill, then the server's queue grows.
    (session.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    await upload('lim-slow');
    await expect.poll(() => local.server.activeSubscriptions(), { timeout: 10_000 }).toBe(before);
    (session.socket as unknown as { _socket: { resume(): void } })._socket.resume();

    expect(await session.closed).toBe(SLOW_READER_CLOSE.code);
  });
});
