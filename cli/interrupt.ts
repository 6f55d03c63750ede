/**
 * Ctrl-C. The first one aborts whatever is in flight through an AbortSignal,
 * so the command can stop its requests, say where it stopped and exit 130; a
 * later one, for when stopping cleanly takes too long, exits at once.
 */
import { EXIT } from './errors';

export interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * Under `npm run` or `npx` one Ctrl-C arrives twice: the terminal signals the
 * whole foreground process group, and npm forwards its own SIGINT to its child.
 * A second SIGINT this soon after the first is that echo, not impatience.
 */
const ECHO_MS = 1000;

export function interruptOnSigint(): Interrupt {
  const controller = new AbortController();
  let first = 0;
  const onSigint = () => {
    if (!controller.signal.aborted) {
      first = Date.now();
      controller.abort();
    } else if (Date.now() - first > ECHO_MS) {
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
