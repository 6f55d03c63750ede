/** The fan-out scenario's worker threads (TypeScript modules), asked one question at a time. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../../infra/bundle';

/** Every worker says `ready` once set up, and `failed` when something went wrong. */
export type ThreadReply = { type: 'ready' } | { type: 'failed'; message: string };

export interface Thread<Request, Reply> {
  /** The next reply (the first is `ready`); throws on `failed`. */
  reply(): Promise<Reply>;
  ask(request: Request): Promise<Reply>;
  terminate(): Promise<number>;
}

/**
 * A worker's code loading a TypeScript module with tsx: Node 20 hands no loader on to a worker thread (not
 * even through execArgv), and npm run bench runs this file compiled elsewhere, so the module is found from
 * the repository's root.
 */
function typeScriptEntry(module: string): string {
  const url = pathToFileURL(path.join(projectRoot, module)).href;
  return `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}))`;
}

/** `module`: the worker's TypeScript file, from the repository's root. */
export function startThread<Request, Reply extends { type: string }>(module: string, workerData: unknown): Thread<Request, Reply> {
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
    if (next.type === 'failed') throw new Error(`${path.basename(module)}: ${(next as { message: string }).message}`);
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
