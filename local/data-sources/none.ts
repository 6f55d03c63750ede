import type { DataSource } from '../appsync-js/execute-resolver';

/** NONE: the request's `payload` becomes ctx.result. */
export const noneDataSource: DataSource = {
  invoke: async (request) => ({ result: (request as { payload?: unknown } | null)?.payload ?? null }),
};
