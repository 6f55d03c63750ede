#!/usr/bin/env node
// `files`, this package's bin (cli/main.ts). Like local/start.mjs, esbuild compiles
// this repository's TypeScript — packages stay external, loaded from node_modules —
// and plain Node runs it: no TypeScript loader at run time. The build is reused
// while none of the sources it was made from has changed.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeCompileOptions } from '../infra/run-compiled.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'codecraft-files');
/** {outfile, inputs: {"cli/main.ts": "<mtimeMs>:<size>", …}}: the last build and the sources it was made from. */
const manifestFile = path.join(cacheDir, 'files-cli.json');

// `npm run files -- …` (and `npm run smoke`) run in the package root; the user's relative paths mean where they typed it.
if (['files', 'smoke'].includes(process.env.npm_lifecycle_event) && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

const stampOf = async (file) => {
  const facts = await stat(path.join(root, file));
  return { stamp: `${facts.mtimeMs}:${facts.size}`, mtimeMs: facts.mtimeMs };
};

/** The last build, if every source it was made from is as it was then. */
async function reusableBuild() {
  try {
    const { outfile, inputs } = JSON.parse(await readFile(manifestFile, 'utf8'));
    for (const [file, stamp] of Object.entries(inputs)) if ((await stampOf(file)).stamp !== stamp) return undefined;
    await access(outfile);
    return outfile;
  } catch {
    return undefined;
  }
}

/** Written whole, then renamed: a run beside this one (a watch next to an upload) never reads half a file. */
async function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

async function freshBuild() {
  const started = Date.now();
  const { outputFiles, metafile } = await build({
    entryPoints: [path.join(root, 'cli', 'main.ts')],
    absWorkingDir: root,
    ...nodeCompileOptions,
    write: false,
    metafile: true,
    outfile: path.join(cacheDir, 'files-cli.mjs'),
  });
  const code = outputFiles[0].contents;
  // Named after its content, so a build in use is never overwritten with another.
  const outfile = path.join(cacheDir, `files-cli-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  await mkdir(cacheDir, { recursive: true });
  if (
    !(await access(outfile).then(
      () => true,
      () => false,
    ))
  )
    await writeAtomically(outfile, code);
  const inputs = {};
  let settled = true;
  for (const file of Object.keys(metafile.inputs)) {
    const { stamp, mtimeMs } = await stampOf(file);
    inputs[file] = stamp;
    // Saved while esbuild read it: this build may hold the old text, so the next run builds again.
    if (mtimeMs >= started) settled = false;
  }
  if (settled) await writeAtomically(manifestFile, JSON.stringify({ outfile, inputs }));
  // Builds of older sources: gone after a day (not at once: a run started a moment ago may be about to import one).
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of await readdir(cacheDir)) {
    const file = path.join(cacheDir, name);
    if (!/^files-cli-[0-9a-f]{16}\.mjs$/.test(name) || file === outfile) continue;
    // Another run may be cleaning up too: a file already gone is fine.
    const facts = await stat(file).catch(() => undefined);
    if (facts && facts.mtimeMs < dayAgo) await unlink(file).catch(() => {});
  }
  return outfile;
}

const outfile = (await reusableBuild()) ?? (await freshBuild());
const { runFiles } = await import(pathToFileURL(outfile).href);
process.exitCode = await runFiles(process.argv, { repoRoot: root });
