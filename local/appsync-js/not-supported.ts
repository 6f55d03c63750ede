/**
 * What `@aws-appsync/utils` declares and the local runtime does not offer:
 * each fails, when called, with an error naming it (never a silent
 * `undefined is not a function`). None is used by this API's resolvers.
 */
export const notSupportedLocally = (name: string) => (): never => {
  throw new Error(`${name} is not supported by the local runtime (it works on AppSync): this API's resolvers do not use it.`);
};

const stubs = (prefix: string, names: string[]) => Object.fromEntries(names.map((name) => [name, notSupportedLocally(`${prefix}.${name}`)]));

export const xmlUtil = stubs('util.xml', ['toMap', 'toJsonString']);
export const rdsUtil = stubs('util.rds', ['toJsonObject']);
/** `@aws-appsync/utils/dynamodb` helpers for operations the local DynamoDB data source does not run. */
export const dynamodbHelperStubs = stubs('@aws-appsync/utils/dynamodb', ['batchGet', 'batchPut', 'batchDelete', 'transactGet', 'transactWrite', 'sync']);
/** The `@aws-appsync/utils/rds` and `/ai` modules: any export used is reported. */
export const unsupportedModule = (specifier: string): unknown =>
  new Proxy({}, { get: (_target, name) => (name === '__esModule' ? false : notSupportedLocally(`${specifier} ${String(name)}`)) });
