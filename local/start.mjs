// `npm start`. Compiles the local server — this repository's TypeScript only;
// packages load from node_modules as they are — with esbuild, then runs it:
// plain Node starts in a fraction of the time a TypeScript loader takes.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'node_modules', '.cache', 'codecraft-files', 'server.mjs');

await build({
  entryPoints: [path.join(root, 'local', 'main.ts')],
  outfile,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
