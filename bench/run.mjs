// `npm run bench`: the benchmarks, compiled as `npm start` compiles the server, then run.
import { runCompiled } from '../infra/run-compiled.mjs';

await runCompiled('bench/run.ts', 'bench');
