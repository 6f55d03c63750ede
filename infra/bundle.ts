/**
 * The one esbuild build. Its output in dist/ is what the CDK stack deploys
 * and what the local runtime executes:
 *   dist/resolvers/<Type>.<field>.js, dist/resolvers/functions/<name>.js  (APPSYNC_JS, ESM)
 *   dist/functions/<lambda>/index.mjs                                     (Lambda, node22)
 */
import { build, type BuildOptions } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lambdas, pipelineFunctions, resolverCodeName, resolvers } from './api-definition';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(projectRoot, 'dist');

/** Where the bundle of each piece of the API definition lands. */
export const bundlePaths = {
  resolver: (codeName: string) => path.join(distDir, 'resolvers', `${codeName}.js`),
  pipelineFunction: (name: string) => path.join(distDir, 'resolvers', 'functions', `${name}.js`),
  lambda: (name: string) => path.join(distDir, 'functions', name, 'index.mjs'),
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
  target: 'node22',
  minify: true,
  sourcemap: true,
  // Bundled CommonJS dependencies (the AWS SDK) call require() at run time.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
};

/** Bundles one APPSYNC_JS source file (a resolver or a pipeline function). */
export async function bundleAppsyncCode(entry: string, outfile: string): Promise<void> {
  await build({ ...appsyncOptions, entryPoints: [entry], outfile });
}

export async function bundleAll(): Promise<void> {
  await rm(distDir, { recursive: true, force: true });
  const resolverBuilds = resolvers.map((r) => {
    const name = resolverCodeName(r);
    return bundleAppsyncCode(path.join(projectRoot, 'resolvers', `${name}.ts`), bundlePaths.resolver(name));
  });
  const functionBuilds = Object.keys(pipelineFunctions).map((name) =>
    bundleAppsyncCode(path.join(projectRoot, 'resolvers', 'functions', `${name}.ts`), bundlePaths.pipelineFunction(name)),
  );
  const lambdaBuilds = Object.entries(lambdas).map(([name, { entry }]) =>
    build({ ...lambdaOptions, entryPoints: [path.join(projectRoot, entry)], outfile: bundlePaths.lambda(name) }),
  );
  await Promise.all([...resolverBuilds, ...functionBuilds, ...lambdaBuilds]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleAll();
}
