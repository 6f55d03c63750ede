/**
 * The AWS_LAMBDA data source: the bundled handler, invoked in-process with
 * the request's payload as its event. A thrown error reaches the resolver
 * as ctx.error of type Lambda:Unhandled, as on AWS.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { DataSource } from '../appsync-js/execute-resolver';

export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

/** The Lambda's timeout, as the CDK stack sets it; AppSync itself gives up at 30 s. */
const TIMEOUT_MS = 30_000;

/** `container` names a module instance of its own: a fresh Lambda container with its own clients and config. */
export async function loadLambdaHandler(bundlePath: string, container?: string): Promise<LambdaHandler> {
  const url = pathToFileURL(bundlePath);
  if (container) url.searchParams.set('container', container);
  const module = (await import(url.href)) as { handler?: LambdaHandler };
  if (typeof module.handler !== 'function') throw new Error(`${bundlePath} exports no handler`);
  return module.handler;
}

/**
 * A handler whose bundle loads when first needed, as a Lambda container
 * initialises on its first invocation. Loading the AWS SDK inside a bundle
 * takes a few hundred milliseconds: `warm()` starts it without making the
 * server wait for it.
 */
export function lazyLambdaHandler(bundlePath: string, container?: string): LambdaHandler & { warm(): void } {
  let loading: Promise<LambdaHandler> | undefined;
  const load = () => (loading ??= loadLambdaHandler(bundlePath, container));
  const handler = async (event: unknown, context: LambdaContext) => (await load())(event, context);
  return Object.assign(handler, {
    warm() {
      // A failure here is reported by the first invocation, which awaits the same load.
      load().catch(() => {});
    },
  });
}

export function lambdaDataSource(functionName: string, handler: LambdaHandler): DataSource {
  return {
    async invoke(request) {
      const { operation, payload } = request as { operation?: string; payload?: unknown };
      if (operation !== 'Invoke') {
        return { error: { type: 'Lambda:Unsupported', message: `The local Lambda data source supports operation "Invoke", not "${operation}".` } };
      }
      const deadline = Date.now() + TIMEOUT_MS;
      const context: LambdaContext = { awsRequestId: randomUUID(), functionName, getRemainingTimeInMillis: () => deadline - Date.now() };
      try {
        return { result: (await handler(payload ?? null, context)) ?? null };
      } catch (error) {
        return { error: { type: 'Lambda:Unhandled', message: (error as Error)?.message ?? String(error) } };
      }
    },
  };
}
