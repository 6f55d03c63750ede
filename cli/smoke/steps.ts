/**
 * The smoke test's bookkeeping: each step runs timed, and prints one line —
 * `ok`, `FAILED` or `skipped`, its time, what it checked. The first failure
 * ends the run (the caller reports the error and exits 1).
 */
import { formatSeconds } from '../format';

export interface StepLog {
  /** Runs `check`, printing its line; resolves with what it returns, rejects with its error. Its result string, if any, is the line's detail. */
  step<T>(name: string, check: () => Promise<T>, detail?: (result: T) => string): Promise<T>;
  skip(name: string, why: string): void;
  /** The closing line: how long the whole run took, and how many steps were skipped. */
  passed(): void;
}

export function stepLog(out: NodeJS.WritableStream): StepLog {
  const started = performance.now();
  let skipped = 0;
  const took = (since: number) => {
    const ms = performance.now() - since;
    return (ms < 1000 ? `${Math.round(ms)} ms` : formatSeconds(ms / 1000)).padStart(7);
  };
  return {
    async step(name, check, detail) {
      const since = performance.now();
      try {
        const result = await check();
        const note = detail?.(result);
        out.write(`ok      ${took(since)}  ${name}${note ? `: ${note}` : ''}\n`);
        return result;
      } catch (error) {
        out.write(`FAILED  ${took(since)}  ${name}\n`);
        throw error;
      }
    },
    skip(name, why) {
      skipped += 1;
      out.write(`skipped ${'-'.padStart(7)}  ${name}: ${why}\n`);
    },
    passed() {
      out.write(`passed in ${took(started).trim()}${skipped ? ` (${skipped} step${skipped > 1 ? 's' : ''} skipped)` : ''}\n`);
    },
  };
}
