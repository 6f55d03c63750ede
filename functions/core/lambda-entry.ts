/**
 * A Lambda's two entry points. `handler` is what AWS calls (index.handler):
 * its container reads process.env. `createHandler(env)` makes a container of
 * its own over `env`: how the local runtime and the tests run a bundle
 * without writing process.env, so two servers in one process keep their
 * Lambdas' settings apart.
 */
import type { Env } from './config';

/** What a Lambda bundle exports. */
export interface LambdaEntry {
  handler(event: unknown, context: unknown): unknown;
  createHandler(env: Env): (event: unknown, context: unknown) => unknown;
}

export function lambdaEntry<Event, Context, Deps, Result>(
  createDeps: (env: Env) => Deps,
  handle: (event: Event, context: Context, getDeps: () => Deps) => Result,
) {
  const createHandler = (env: Env) => {
    // One set of clients per container, created on first use so that a missing
    // setting is reported per request (and logged), not as a failed cold start.
    let deps: Deps | undefined;
    const getDeps = () => (deps ??= createDeps(env));
    return (event: Event, context: Context) => handle(event, context, getDeps);
  };
  return { createHandler, handler: createHandler(process.env) };
}
