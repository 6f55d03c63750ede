// Compiles a TypeScript entry point of this repository — its own code only;
// packages load from node_modules as they are — with esbuild, then runs it.
// `npm start` and `npm run bench` use it: plain Node starts in a fraction of
// the time a TypeScript loader takes, and runs the code as it will run, not
// with a loader's additions (tsx keeps function names with a call per closure).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folder holding package.json, found from this module wherever it runs: as source, or bundled into the server or the bench. */
export const projectRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    if (path.dirname(dir) === dir) throw new Error('package.json not found above infra/run-compiled.mjs');
    dir = path.dirname(dir);
  }
  return dir;
})();

/** This repository's code in one ES module for the Node it runs on; packages stay external (node_modules). Also the CLI's build (cli/files.mjs). */
export const nodeCompileOptions = { bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' };

/** Compiles `entry` (relative to the repository root) to node_modules/.cache/codecraft-files/`name`.mjs; answers its path. */
export async function compileEntry(entry, name) {
  const outfile = path.join(projectRoot, 'node_modules', '.cache', 'codecraft-files', `${name}.mjs`);
  await build({
    entryPoints: [path.join(projectRoot, entry)],
    outfile,
    ...nodeCompileOptions,
    sourcemap: true,
  });
  return outfile;
}

/**
 * Compiles `entry` and runs it.
 * The code runs in production mode unless NODE_ENV says otherwise, as servers
 * are run: graphql-js then leaves out its development checks (a cross-realm
 * test on every type check, about 60 µs of a 20-file page).
 */
export async function runCompiled(entry, name) {
  process.env.NODE_ENV ??= 'production';
  await import(pathToFileURL(await compileEntry(entry, name)).href);
}
