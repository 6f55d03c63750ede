/** The fan-out scenario's worker threads (TypeScript modules), asked one question at a time. */
import { Worker } from 'node:worker_threads';

/** Every worker says `ready` once set up, and `failed` when something went wrong. */
export type ThreadReply = { type: 'ready' } | { type: 'failed'; message: string };

export interface Thread<Request, Reply> {
  /** The next reply (the first is `ready`); throws on `failed`. */
  reply(): Promise<Reply>;
  ask(request: Request): Promise<Reply>;
  terminate(): Promise<number>;
}

/** A worker's code loading a TypeScript module: Node 20 hands tsx's loader on to no worker thread, not even through execArgv. */
const typeScriptEntry = (module: URL): string =>
  `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(module.href)}, ${JSON.stringify(import.meta.url)}))`;

export function startThread<Request, Reply extends { type: string }>(module: URL, workerData: unknown): Thread<Request, Reply> {
  const worker = new Worker(typeScriptEntry(module), { eval: true, workerData });
  const replies: (Reply | ThreadReply)[] = [];
  let wake: (() => void) | undefined;
  const received = (reply: Reply | ThreadReply) => {
    replies.push(reply);
    wake?.();
  };
  worker.on('message', received);
  worker.on('error', (failure) => received({ type: 'failed', message: String(failure) }));
  const reply = async (): Promise<Reply> => {
    while (!replies.length) await new Promise<void>((resolve) => (wake = resolve));
    const next = replies.shift()!;
    if (next.type === 'failed') throw new Error(`${module.pathname.split('/').pop()}: ${(next as { message: string }).message}`);
    return next as Reply;
  };
  return {
    reply,
    ask(request) {
      worker.postMessage(request);
      return reply();
    },
    terminate: () => worker.terminate(),
  };
}
