/**
 * Loads a bundled APPSYNC_JS file (ESM, `@aws-appsync/utils` external) the
 * way AppSync holds it: in a sandbox with no Node globals (no process,
 * require, timers or network), its utils imports bound to the local runtime.
 * Code AppSync would refuse is refused here too, before it runs.
 */
import { transform } from 'esbuild';
import { readFile } from 'node:fs/promises';
import vm from 'node:vm';
import { bundlePaths } from '../../infra/bundle';
import { refuseUnsupportedBundle } from './code-verdicts';
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
  await refuseUnsupportedBundle(source, bundlePath, bundlePaths.appsyncVerdicts);
  // Only the module syntax changes (ESM → a function body); the code is the bundle's.
  const { code } = await transform(source, { format: 'cjs', loader: 'js', sourcemap: 'inline', sourcefile: bundlePath });
  // As APPSYNC_JS: no eval, no Function("…") (nor through a function's constructor), no WebAssembly — for the
  // sandbox's own functions. The objects handed in (ctx, util, console) are of Node's realm: node:vm keeps code to
  // AppSync's rules, it is no security boundary, and the runtime loads only the project's own bundles.
  const sandbox = vm.createContext({ console }, { codeGeneration: { strings: false, wasm: false } });
  const wrapper = vm.runInContext(`(function (require, module, exports) {\n${code}\n})`, sandbox, { filename: bundlePath });
  const builtins = vm.runInContext('({ Array, Object, String, Date })', sandbox);
  // esbuild's CommonJS helpers (Object.defineProperty and the like) bind the exports before the
  // module's own first statement runs: the methods are denied from there on, top level included.
  let exports: Partial<ResolverCode> = {};
  let esModule = false;
  const module = {
    get exports() {
      return exports;
    },
    set exports(bound: Partial<ResolverCode>) {
      exports = bound;
      esModule = true;
      denyMethods(builtins);
    },
  };
  try {
    wrapper(requireRuntimeModule, module, exports);
  } catch (error) {
    // The sandbox's errors are of its own realm (not `instanceof Error` here).
    throw new Error(`${bundlePath} failed in its top-level code: ${String((error as { message?: unknown } | undefined)?.message ?? error)}`);
  }
  // AppSync takes ES modules only; code that set `exports.x` itself (never module.exports) ran with the methods allowed.
  if (!esModule) throw new Error(`${bundlePath} is not an ES module: APPSYNC_JS code exports request and response with \`export\`.`);
  const { request, response } = exports;
  if (typeof request !== 'function' || typeof response !== 'function') {
    throw new Error(`${bundlePath} must export request(ctx) and response(ctx)`);
  }
  return { request, response };
}
