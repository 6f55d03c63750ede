// `npm start`: the local server, compiled from this repository's TypeScript and run.
import { runCompiled } from '../infra/run-compiled.mjs';

await runCompiled('local/main.ts', 'server');
