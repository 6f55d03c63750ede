// Compiles a TypeScript entry point of this repository — its own code only;
// packages load from node_modules as they are — with esbuild, then runs it.
// `npm start` and `npm run bench` use it: plain Node starts in a fraction of
// the time a TypeScript loader takes, and runs the code as it will run, not
// with a loader's additions (tsx keeps function names with a call per closure).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** This repository's code in one ES module for the Node it runs on; packages stay external (node_modules). Also the CLI's build (cli/files.mjs). */
export const nodeCompileOptions = { bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' };

/**
 * `entry` is relative to the repository root; `name` names the compiled file.
 * The code runs in production mode unless NODE_ENV says otherwise, as servers
 * are run: graphql-js then leaves out its development checks (a cross-realm
 * test on every type check, about 60 µs of a 20-file page).
 */
export async function runCompiled(entry, name) {
  process.env.NODE_ENV ??= 'production';
  const outfile = path.join(root, 'node_modules', '.cache', 'codecraft-files', `${name}.mjs`);
  await build({
    entryPoints: [path.join(root, entry)],
    outfile,
    ...nodeCompileOptions,
    sourcemap: true,
  });
  await import(pathToFileURL(outfile).href);
}
