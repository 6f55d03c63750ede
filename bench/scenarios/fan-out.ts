/**
 * 7. Fan-out: a thousand subscribers, one WebSocket each, on one project;
 * for every (upload, subscriber) the delay from reading the uploadFile HTTP
 * answer to that subscriber reading its `data` frame. The sockets live in a
 * worker thread (fan-out-clients.ts): in this thread they would share the
 * server's event loop and inflate the figure. Uploads go one at a time, the
 * next once every frame of the last arrived (or a timeout passed). Every frame
 * is checked against the subscriber's selection; a missing one is lost.
 * Then the same subscribers and frames against a bare ws server (the raw
 * baseline, fan-out-raw.ts): the floor of the socket writes themselves.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Bench } from '../context';
import { percentile } from '../measure';
import type { ClientsData, ClientsReply, ClientsRequest, ReceivedFrame } from './fan-out-clients';
import { startRawFanOutServer } from './fan-out-raw';
import { startThread } from './fan-out-threads';
import type { UploaderData, UploaderReply, UploaderRequest } from './fan-out-uploader';
import { FAN_OUT_PROJECT, variantOf } from './fan-out-variants';

export interface FanOutOptions {
  subscribers: number;
  /** Measured uploads, after `warmup` unmeasured ones. */
  uploads: number;
  warmup: number;
}

export interface FanOutResult {
  subscribers: number;
  uploads: number;
  /** Frames measured: uploads × subscribers whose filter matches. */
  frames: number;
  /** Milliseconds from the uploadFile answer read to the data frame read (negative when the frame came first). */
  delay: Spread;
  /** Milliseconds from the uploadFile request sent to the data frame read. */
  sinceSend: Spread;
  /** The uploadFile round trips, ms. */
  roundTrip: Spread;
  /** Frames a matching subscriber never got. */
  lost: number;
  /** Frames with the wrong shape, a duplicate, or for a subscriber whose filter does not match. */
  wrong: number;
  /** The baseline (fan-out-raw.ts): the same frames written by a bare ws server in a loop, ms from the loop's start. */
  raw: { delay: Spread; lost: number; wrong: number };
}

/** How long the last frame of one upload may take before the rest count as lost. */
const FRAME_TIMEOUT_MS = 10_000;
const BODY_BYTES = 1024;
type Spread = { p50: number; p95: number; p99: number; max: number };
const spread = (samples: number[]): Spread => ({
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  p99: percentile(samples, 99),
  max: percentile(samples, 100),
});

// Answers are read field by field, as a client would.
type Json = any;

export async function fanOut(bench: Bench, options: FanOutOptions): Promise<FanOutResult> {
  const { realtimeUrl, graphqlUrl, apiKey } = bench.server;
  const bodyBase64 = randomBytes(BODY_BYTES).toString('base64');
  const uploader = startThread<UploaderRequest, UploaderReply>('bench/scenarios/fan-out-uploader.ts', {
    graphqlUrl,
    apiKey,
    projectID: FAN_OUT_PROJECT,
    bodyBase64,
  } satisfies UploaderData);
  let lastFile: Json;
  try {
    await uploader.reply();
    const api = await round({ mode: 'api', realtimeUrl, graphqlUrl, apiKey, subscribers: options.subscribers }, options, async (i) => {
      const uploaded = await uploader.ask({ type: 'upload', fileName: `fan-out-${i}.bin` });
      if (uploaded.type !== 'uploaded') throw new Error(`expected an upload, got ${uploaded.type}`);
      lastFile = uploaded.file;
      return uploaded;
    });
    // The baseline writes frames for files shaped like the API's, each with an ID of its own.
    const raw = await startRawFanOutServer();
    try {
      const baseline = await round({ mode: 'raw', realtimeUrl: raw.url, graphqlUrl, apiKey, subscribers: options.subscribers }, options, async () => {
        const file = { ...lastFile, fileID: randomUUID() };
        const began = raw.publish(file);
        return { file, sent: began, answered: began };
      });
      return { ...api, raw: { delay: baseline.delay, lost: baseline.lost, wrong: baseline.wrong } };
    } finally {
      await raw.close();
    }
  } finally {
    await uploader.terminate();
    // The next scenario starts with the server's side of these sockets gone.
    for (let waited = 0; bench.server.activeSubscriptions() > 0 && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Connects the subscribers, publishes one event at a time (each once the last one's frames are in), and judges every frame. */
async function round(data: ClientsData, { subscribers, uploads, warmup }: FanOutOptions, publish: (i: number) => Promise<Omit<Answer, 'measured'>>) {
  const clients = startThread<ClientsRequest, ClientsReply>('bench/scenarios/fan-out-clients.ts', data);
  try {
    await clients.reply();
    const matching = Array.from({ length: subscribers }, (_, i) => i).filter((i) => variantOf(i).expected({}) !== undefined).length;
    const answers = new Map<string, Answer>();
    for (let i = 0; i < warmup + uploads; i += 1) {
      const answer = await publish(i);
      answers.set(answer.file.fileID, { ...answer, measured: i >= warmup });
      await clients.ask({ type: 'await', total: (i + 1) * matching, timeoutMs: FRAME_TIMEOUT_MS });
    }
    const collected = await clients.ask({ type: 'collect' });
    return judge(collected.type === 'frames' ? collected.frames : [], answers, { subscribers, uploads, matching });
  } finally {
    await clients.terminate();
  }
}

interface Answer {
  file: Json;
  sent: number;
  answered: number;
  measured: boolean;
}

function judge(
  frames: ReceivedFrame[],
  answers: Map<string, Answer>,
  counts: { subscribers: number; uploads: number; matching: number },
): Omit<FanOutResult, 'raw'> {
  const delays: number[] = [];
  const sinceSend: number[] = [];
  const seen = new Set<string>();
  let wrong = 0;
  for (const { subscriber, at, raw } of frames) {
    const frame = JSON.parse(raw);
    const payload = frame.payload?.data ? (Object.values(frame.payload.data)[0] as Json) : undefined;
    const fileID = payload?.fileID ?? payload?.id;
    const answer = answers.get(fileID);
    const key = `${subscriber} ${fileID}`;
    if (!answer || seen.has(key) || frame.id !== `s${subscriber}` || !isDeepStrictEqual(frame.payload, variantOf(subscriber).expected(answer.file))) {
      wrong += 1;
      continue;
    }
    seen.add(key);
    if (!answer.measured) continue;
    delays.push(at - answer.answered);
    sinceSend.push(at - answer.sent);
  }
  const measured = [...answers.values()].filter((answer) => answer.measured);
  const expected = counts.uploads * counts.matching;
  return {
    subscribers: counts.subscribers,
    uploads: counts.uploads,
    frames: expected,
    delay: spread(delays),
    sinceSend: spread(sinceSend),
    roundTrip: spread(measured.map((answer) => answer.answered - answer.sent)),
    lost: expected - delays.length,
    wrong,
  };
}

/** One markdown line, for run.ts. */
export function fanOutLine(result: FanOutResult): string {
  const ms = (value: number) => value.toFixed(1);
  const figures = ({ p50, p95, p99, max }: Spread) => `p50 ${ms(p50)} ms, p95 ${ms(p95)} ms, p99 ${ms(p99)} ms, max ${ms(max)} ms`;
  return [
    `${result.subscribers} subscribers (one WebSocket each), ${result.uploads} uploads, ${result.frames} frames, ${result.lost} lost, ${result.wrong} wrong (goal: p99 ≤ 50 ms, 0 lost).`,
    `- uploadFile answer read → each data frame read: ${figures(result.delay)}`,
    `- uploadFile request sent → each data frame read: ${figures(result.sinceSend)}`,
    `- uploadFile round trip: ${figures(result.roundTrip)}`,
    `- raw baseline, a bare ws server writing the same frames in a loop → each frame read: ${figures(result.raw.delay)}; ${result.raw.lost} lost, ${result.raw.wrong} wrong`,
    `- ratio API / raw at p99: ${(result.delay.p99 / result.raw.delay.p99).toFixed(2)}×`,
  ].join('\n');
}
