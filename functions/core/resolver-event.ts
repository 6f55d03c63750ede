/** The event a direct Lambda resolver receives: what the invoke* pipeline functions send their Lambda. */
export interface ResolverEvent<Args> {
  arguments: Args;
  identity: unknown;
  source: unknown;
  request: { headers: Record<string, string | undefined>; domainName: string | null };
  info: { fieldName: string; parentTypeName: string; variables: Record<string, unknown>; selectionSetList?: string[] };
  prev: unknown;
  stash: Record<string, unknown>;
}

/** The part of the Lambda context the handlers use. */
export interface LambdaContext {
  awsRequestId: string;
}
