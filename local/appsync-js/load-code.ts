/**
 * Loads a bundled APPSYNC_JS file (ESM, `@aws-appsync/utils` external) the
 * way AppSync holds it: in a sandbox with no Node globals (no process,
 * require, timers or network), its utils imports bound to the local runtime.
 * Code AppSync would refuse is refused here too, before it runs.
 */
import { transform } from 'esbuild';
import { readFile } from 'node:fs/promises';
import vm from 'node:vm';
import { checkAppsyncCode } from './check-code';
import { denyMethods } from './denied-methods';
import * as dynamodbHelpers from './dynamodb-helpers';
import { dynamodbHelperStubs, unsupportedModule } from './not-supported';
import { extensions, runtime, util } from './util';

export interface ResolverCode {
  request(ctx: unknown): unknown;
  response(ctx: unknown): unknown;
}

const runtimeModules: Record<string, unknown> = {
  '@aws-appsync/utils': { util, runtime, extensions },
  '@aws-appsync/utils/dynamodb': { ...dynamodbHelpers, ...dynamodbHelperStubs },
  // AppSync has these; locally each export fails, when called, naming itself.
  '@aws-appsync/utils/rds': unsupportedModule('@aws-appsync/utils/rds'),
  '@aws-appsync/utils/ai': unsupportedModule('@aws-appsync/utils/ai'),
};

function requireRuntimeModule(specifier: string): unknown {
  const module = runtimeModules[specifier];
  if (!module) throw new Error(`APPSYNC_JS code cannot import "${specifier}": only @aws-appsync/utils modules are available`);
  return module;
}

export async function loadResolverCode(bundlePath: string): Promise<ResolverCode> {
  const source = await readFile(bundlePath, 'utf8');
  checkAppsyncCode(source, bundlePath);
  // Only the module syntax changes (ESM → a function body); the code is the bundle's.
  const { code } = await transform(source, { format: 'cjs', loader: 'js', sourcemap: 'inline', sourcefile: bundlePath });
  // As APPSYNC_JS: no eval, no Function("…") (nor through a function's constructor), no WebAssembly.
  const sandbox = vm.createContext({ console }, { codeGeneration: { strings: false, wasm: false } });
  const wrapper = vm.runInContext(`(function (require, module, exports) {\n${code}\n})`, sandbox, { filename: bundlePath });
  const module = { exports: {} as Partial<ResolverCode> };
  wrapper(requireRuntimeModule, module, module.exports);
  // After the module is defined: esbuild's module helpers use Object.defineProperty and the like.
  denyMethods(vm.runInContext('({ Array, Object, String, Date })', sandbox));
  const { request, response } = module.exports;
  if (typeof request !== 'function' || typeof response !== 'function') {
    throw new Error(`${bundlePath} must export request(ctx) and response(ctx)`);
  }
  return { request, response };
}
