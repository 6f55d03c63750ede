/**
 * The one esbuild build. Its output in dist/ is what the CDK stack deploys
 * and what the local runtime executes:
 *   dist/resolvers/<Type>.<field>.js, dist/resolvers/functions/<name>.js  (APPSYNC_JS, ESM)
 *   dist/functions/<lambda>/index.mjs                                     (Lambda, node24)
 *   dist/web/files.js                                                     (the /files page, for browsers)
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnsupportedCodeError } from '../local/appsync-js/check-code';
import { checkBuiltBundles } from '../local/appsync-js/code-verdicts';
import { lambdas, pipelineFunctions, resolverCodeName, resolvers } from './api-definition';
import { projectRoot } from './run-compiled.mjs';
import { sdkSchemaLiteralKeys } from './sdk-schema-keys';

export { projectRoot };
export const distDir = path.join(projectRoot, 'dist');

/** Where the bundle of each piece of the API definition lands. */
export const bundlePaths = {
  resolver: (codeName: string) => path.join(distDir, 'resolvers', `${codeName}.js`),
  pipelineFunction: (name: string) => path.join(distDir, 'resolvers', 'functions', `${name}.js`),
  /** What AppSync's rules found in each APPSYNC_JS bundle, by content hash: the build writes it, the local loader reads it. */
  appsyncVerdicts: path.join(distDir, 'resolvers', 'appsync-verdicts.json'),
  lambda: (name: string) => path.join(distDir, 'functions', name, 'index.mjs'),
  filesPage: path.join(distDir, 'web', 'files.js'),
};

// What AWS documents for APPSYNC_JS bundles: ESM, utils left to the runtime.
const appsyncOptions: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'esnext',
  external: ['@aws-appsync/utils'],
  sourcemap: 'inline',
  sourcesContent: false,
  minify: false,
  logLevel: 'warning',
};

const lambdaOptions: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  // The SDK's ES modules (its packages' "module" field) tree-shake per command; its CommonJS builds are one
  // file per package, kept whole (client-s3: 147 KB in every bundle, 53 KB as ES modules).
  mainFields: ['module', 'main'],
  // The environment's credentials instead of the SDK's default chain (functions/core/lambda-credentials.ts says why).
  alias: { '@aws-sdk/credential-provider-node': path.join(projectRoot, 'functions', 'core', 'lambda-credentials.ts') },
  plugins: [sdkSchemaLiteralKeys],
  minify: true,
  // Stack traces still name the TypeScript file, line and column (NODE_OPTIONS=--enable-source-maps); the sources'
  // text stays out of the map, which is then under a quarter of the size (upload: 0.7 MB, not 3.2).
  sourcemap: true,
  sourcesContent: false,
  // Bundled CommonJS dependencies (e.g. debug, under file-type) call require() for Node built-ins at run time.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
};

// The /files page: React and aws-amplify for browsers, one minified file.
const browserOptions: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120', 'firefox120', 'safari17'],
  jsx: 'automatic',
  minify: true,
  sourcemap: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

/** Bundles one APPSYNC_JS source file (a resolver or a pipeline function). */
export async function bundleAppsyncCode(entry: string, outfile: string): Promise<Metafile> {
  return (await build({ ...appsyncOptions, entryPoints: [entry], outfile, metafile: true })).metafile;
}

/** Every file the last build read and wrote, relative to the project root: what decides whether it is current. */
const buildRecord = path.join(distDir, 'build-record.json');
interface BuildRecord {
  inputs: string[];
  outputs: string[];
}

export async function bundleAll(): Promise<void> {
  // The record is dated from here: a source saved while the build ran is newer than it, so the next start builds again.
  const started = new Date();
  await rm(distDir, { recursive: true, force: true });
  const resolverBuilds = resolvers.map((r) => {
    const name = resolverCodeName(r);
    return bundleAppsyncCode(path.join(projectRoot, 'resolvers', `${name}.ts`), bundlePaths.resolver(name));
  });
  const functionBuilds = Object.keys(pipelineFunctions).map((name) =>
    bundleAppsyncCode(path.join(projectRoot, 'resolvers', 'functions', `${name}.ts`), bundlePaths.pipelineFunction(name)),
  );
  const lambdaBuilds = Object.entries(lambdas).map(
    async ([name, { entry }]) =>
      (await build({ ...lambdaOptions, entryPoints: [path.join(projectRoot, entry)], outfile: bundlePaths.lambda(name), metafile: true })).metafile,
  );
  const pageBuild = build({
    ...browserOptions,
    entryPoints: [path.join(projectRoot, 'web', 'files', 'main.tsx')],
    outfile: bundlePaths.filesPage,
    metafile: true,
  }).then((r) => r.metafile);
  // AppSync's check of the code it is given runs while esbuild builds the rest.
  const appsyncCheck = Promise.all([...resolverBuilds, ...functionBuilds]).then((built) =>
    checkBuiltBundles(
      built.flatMap((m) => Object.keys(m.outputs)).map((name) => path.resolve(name)),
      bundlePaths.appsyncVerdicts,
    ),
  );
  const [builds, check] = await Promise.allSettled([Promise.all([...resolverBuilds, ...functionBuilds, ...lambdaBuilds, pageBuild]), appsyncCheck]);
  if (builds.status === 'rejected') throw builds.reason;
  const metafiles = builds.value;
  // esbuild names files relative to the working directory; the record keeps them absolute.
  const absolute = (names: string[]) => names.map((name) => path.resolve(name));
  const record: BuildRecord = {
    inputs: [...new Set(absolute(metafiles.flatMap((m) => Object.keys(m.inputs))))].sort(),
    outputs: [...absolute(metafiles.flatMap((m) => Object.keys(m.outputs))), bundlePaths.appsyncVerdicts].sort(),
  };
  // Also when the check refused a bundle: the next start need not build, its loader refuses the bundle by the record.
  await writeFile(buildRecord, JSON.stringify(record, null, 2));
  await utimes(buildRecord, started, started);
  if (check.status === 'rejected') throw check.reason;
}

/** What decides the recorded verdicts besides the bundles: the rules and how they are applied. */
// The check's verdicts hold while its rules do: its modules, and the installed tools that run them (npm rewrites their package.json).
const appsyncCheckFiles = [
  'local/appsync-js/appsync-js-rules.js',
  'local/appsync-js/check-code.ts',
  'local/appsync-js/code-verdicts.ts',
  ...['@aws-appsync/eslint-plugin', 'eslint', 'typescript', '@typescript-eslint/parser'].map((name) => `node_modules/${name}/package.json`),
];

/** Whether dist/ was built, completely, after every file it was built from last changed. */
async function isCurrent(): Promise<boolean> {
  try {
    const record = JSON.parse(await readFile(buildRecord, 'utf8')) as BuildRecord;
    const builtAt = (await stat(buildRecord)).mtimeMs;
    const sources = [
      ...record.inputs,
      ...['infra/api-definition.ts', 'infra/bundle.ts', 'infra/sdk-schema-keys.ts', ...appsyncCheckFiles].map((file) => path.join(projectRoot, file)),
    ];
    const [inputTimes] = await Promise.all([
      Promise.all(sources.map(async (file) => (await stat(file)).mtimeMs)),
      Promise.all(record.outputs.map((file) => stat(file))),
    ]);
    return inputTimes.every((time) => time <= builtAt);
  } catch {
    // No record, or a file it names is gone: build.
    return false;
  }
}

/** bundleAll, unless dist/ is already current: what `npm start` runs, so a restart is quick. */
export async function bundleIfChanged(): Promise<'built' | 'current'> {
  if (await isCurrent()) return 'current';
  await bundleAll();
  return 'built';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleAll().catch((error: unknown) => {
    // Code AppSync would refuse is named rule by rule (by the message), not with a stack trace.
    console.error(error instanceof UnsupportedCodeError ? error.message : error);
    process.exitCode = 1;
  });
}
