/**
 * 4. How long after the uploadFile response the onFileUploaded `data` frame
 * reaches a subscriber, relative to the uploadFile round trip itself.
 */
import { randomBytes } from 'node:crypto';
import { apiKeyHeader, openRealtime, startMessage } from '../../test/support/realtime-client';
import { OnFileUploadedDocument } from '../../generated/operations';
import { uploadViaApi, type Bench } from '../context';
import { now, stats, type RunOptions, type Stats } from '../measure';

const PROJECT = 'bench-notify';
export const NOTIFY_BODY_BYTES = 1024;

export interface NotifyResult {
  /** uploadFile request sent → response read. */
  roundTrip: Stats;
  /** Response read → data frame received (negative when the frame came first). */
  lag: Stats;
  /** Request sent → data frame received. */
  sinceSend: Stats;
  /** Iterations in which the frame arrived before the response. */
  frameFirst: number;
}

export async function notifyLatency(bench: Bench, { warmup, iterations }: RunOptions): Promise<NotifyResult> {
  const { graphqlUrl, realtimeUrl, apiKey } = bench.server;
  const auth = apiKeyHeader(graphqlUrl, apiKey);
  const session = await openRealtime(realtimeUrl, auth);
  // Stamped as each frame arrives, whenever the scenario gets round to reading it.
  const arrivals = new Map<string, number>();
  session.socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type === 'data') arrivals.set(frame.payload?.data?.onFileUploaded?.fileID, now());
  });
  try {
    session.send({ type: 'connection_init' });
    const ack = await session.next();
    if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
    const subscription = { query: OnFileUploadedDocument.toString(), variables: { projectID: PROJECT } };
    session.send(startMessage('bench', subscription, auth));
    const started = await session.next();
    if (started.type !== 'start_ack') throw new Error(`expected start_ack, got ${JSON.stringify(started)}`);

    const bytes = randomBytes(NOTIFY_BODY_BYTES);
    const once = async (i: number) => {
      const sent = now();
      const file = await uploadViaApi(bench, PROJECT, `notify-${i}.bin`, bytes);
      const answered = now();
      const frame = await session.next((f) => f.type === 'data' && f.payload?.data?.onFileUploaded?.fileID === file.fileID);
      if (frame.payload.errors) throw new Error(`data frame with errors: ${JSON.stringify(frame.payload.errors)}`);
      const arrived = arrivals.get(file.fileID)!;
      arrivals.delete(file.fileID);
      return { roundTrip: answered - sent, lag: arrived - answered, sinceSend: arrived - sent };
    };
    for (let i = 0; i < warmup; i += 1) await once(-1 - i);
    const samples = [];
    for (let i = 0; i < iterations; i += 1) samples.push(await once(i));
    return {
      roundTrip: stats(samples.map((s) => s.roundTrip)),
      lag: stats(samples.map((s) => s.lag)),
      sinceSend: stats(samples.map((s) => s.sinceSend)),
      frameFirst: samples.filter((s) => s.lag < 0).length,
    };
  } finally {
    session.close();
    await session.closed;
  }
}
