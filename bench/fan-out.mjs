// The fan-out scenario alone, compiled as `npm run bench` runs it: `node bench/fan-out.mjs`
// (or `node --cpu-prof bench/fan-out.mjs` to profile it); see bench/fan-out.ts for its settings.
import { runCompiled } from '../infra/run-compiled.mjs';

await runCompiled('bench/fan-out.ts', 'fan-out');
