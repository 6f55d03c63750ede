/**
 * At most `limit` tasks at a time (parts PUT in parallel without opening one
 * connection per part). The first failure stops the others: their requests are
 * aborted through the signal each task gets, and that failure is what rejects.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, signal: AbortSignal) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !stop.signal.aborted) {
      const item = items[next++];
      try {
        await task(item, stop.signal);
      } catch (error) {
        failure ??= { error };
        stop.abort(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  // An outside abort (Ctrl-C) wins over the aborted tasks' rejections it caused.
  signal.throwIfAborted();
  if (failure) throw failure.error;
}
