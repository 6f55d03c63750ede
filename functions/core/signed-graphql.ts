/**
 * A GraphQL call to the AppSync API signed with the function's own IAM
 * credentials (SigV4, service `appsync`): how the service's functions reach
 * fields open only to IAM. The same code signs for the local server, which
 * verifies SigV4 against its local credentials.
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4, type SignatureV4Init } from '@smithy/signature-v4';
import { defaultProvider } from './lambda-credentials';

const TIMEOUT_MS = 5_000;

export type SignedGraphQL = (query: string, variables: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** AppSync answered, and not with data: its HTTP status and the errorType of each error, for deciding whether to try again. */
export class GraphQLCallError extends Error {
  constructor(
    readonly status: number,
    readonly errorTypes: string[],
    message: string,
  ) {
    super(message);
    this.name = 'GraphQLCallError';
  }
}

/** Signs with `credentials`, the function's role's (process.env's) by default. */
export function signedGraphQLClient(graphqlUrl: string, region: string, credentials: SignatureV4Init['credentials'] = defaultProvider()): SignedGraphQL {
  const url = new URL(graphqlUrl);
  const signer = new SignatureV4({ service: 'appsync', region, credentials, sha256: Hash.bind(null, 'sha256') });
  return async (query, variables) => {
    const body = JSON.stringify({ query, variables });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        headers: { host: url.host, 'content-type': 'application/json' },
        body,
      }),
    );
    // Bounded: the caller's file is already stored, and the client is waiting for its answer.
    const response = await fetch(url, { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const result = (await response.json().catch(() => ({}))) as { data?: Record<string, unknown>; errors?: { errorType?: string; message: string }[] };
    if (!response.ok || result.errors?.length) {
      const errors = result.errors ?? [];
      throw new GraphQLCallError(
        response.status,
        errors.map((e) => e.errorType ?? ''),
        `AppSync answered ${response.status}: ${errors.map((e) => `${e.errorType}: ${e.message}`).join('; ') || 'no GraphQL errors'}`,
      );
    }
    return result.data ?? {};
  };
}
