/**
 * Progress of long transfers. On a terminal: one cli-progress bar per file
 * (bytes, percent, speed, ETA), with messages printed above the bars. Piped or
 * redirected: plain lines, at most about one a second per file, so logs and
 * CI output stay readable and other programs can follow along.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import { formatBytes } from './format';

export interface Tracker {
  /** Starts (or restarts) the count for a phase, e.g. "hashing", "uploading"; `done` bytes already count (resumed parts). */
  phase(label: string, done?: number): void;
  /** Bytes hashed or sent since the last call; negative to take back the bytes of a failed attempt. */
  advance(bytes: number): void;
  /** A step worth a line when there is no bar ("part 3/13 stored …"); `always` skips the once-a-second limit. */
  milestone(text: string, always?: boolean): void;
  /** The file is done (or failed): its bar goes, a line about it follows. */
  end(): void;
}

export interface Reporter {
  track(name: string, total: number): Tracker;
  /** A message line that does not garble the bars. */
  line(text: string): void;
  /** Before the process writes anything else (an error, Ctrl-C's message): leave the terminal clean. */
  stop(): void;
}

interface Rate {
  since: number;
  from: number;
}

const perSecond = (rate: Rate, value: number) => {
  const seconds = (Date.now() - rate.since) / 1000;
  return seconds > 0.2 ? `${formatBytes((value - rate.from) / seconds)}/s` : '';
};

const fit = (name: string, width: number) => (name.length > width ? `${name.slice(0, width - 1)}…` : name.padEnd(width));

function terminalReporter(stream: NodeJS.WriteStream): Reporter {
  let bars: MultiBar | undefined;
  const multiBar = () =>
    (bars ??= new MultiBar({
      stream,
      format: '{name} {phase} |{bar}| {percentage}% {value}/{total} {speed} ETA {eta_formatted}',
      formatValue: (value, options, type) => (type === 'value' || type === 'total' ? formatBytes(Number(value)) : String(value)),
      autopadding: true,
      hideCursor: true,
      barsize: 30,
      // ETA over the last ~10 s of updates (10 per second), not since the start: speeds change.
      etaBuffer: 100,
      // A line logged above the bars overwrites one; bars that did not change must be drawn again too.
      forceRedraw: true,
    }));
  return {
    track(name, total) {
      let bar: SingleBar | undefined;
      let value = 0;
      let rate: Rate = { since: Date.now(), from: 0 };
      const label = fit(name, 24);
      return {
        phase(phase, done = 0) {
          value = done;
          rate = { since: Date.now(), from: done };
          const payload = { name: label, phase: phase.padEnd(9), speed: '' };
          if (bar) bar.start(total, done, payload);
          else bar = multiBar().create(total, done, payload);
        },
        advance(bytes) {
          value += bytes;
          bar?.update(value, { speed: perSecond(rate, value) });
        },
        milestone() {},
        end() {
          // The file's summary line replaces its bar: many files do not pile up many bars.
          if (bar) bars?.remove(bar);
          bar = undefined;
        },
      };
    },
    line(text) {
      if (bars?.isActive) {
        bars.log(`${text}\n`);
        bars.update();
      } else {
        stream.write(`${text}\n`);
      }
    },
    stop() {
      if (!bars?.isActive) return;
      bars.update();
      bars.stop();
    },
  };
}

function lineReporter(stream: NodeJS.WritableStream): Reporter {
  const write = (text: string) => stream.write(`${text}\n`);
  return {
    track(name) {
      let last = 0;
      return {
        phase() {},
        advance() {},
        milestone(text, always = false) {
          const now = Date.now();
          // The first one shows at once (something is moving); then about one a second.
          if (!always && last && now - last < 1000) return;
          last = now;
          write(`${name}: ${text}`);
        },
        end() {},
      };
    },
    line: write,
    stop() {},
  };
}

/** Bars when `stream` is a terminal, lines otherwise. */
export const reporterFor = (stream: NodeJS.WriteStream): Reporter => (stream.isTTY ? terminalReporter(stream) : lineReporter(stream));

/** Reports nothing: for callers that print their own summary (the smoke test). */
export const silentReporter: Reporter = {
  track: () => ({ phase() {}, advance() {}, milestone() {}, end() {} }),
  line() {},
  stop() {},
};
