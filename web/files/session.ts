/**
 * Signing in and the Amplify client that goes with it. Locally, a user is a
 * name and groups of your choosing (the local server's token endpoint); or
 * the API key. Amplify is configured as for AppSync, with a token provider
 * that hands it the token, so every call and subscription carries it.
 */
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJWT } from 'aws-amplify/auth';
import type { PageConfig } from './config';

export type Session =
  | { kind: 'apiKey'; label: string }
  | { kind: 'user'; label: string; token: string; groups: string[] }
  /** Signed in to the user pool with Amplify's signIn: Amplify holds and refreshes the tokens. */
  | { kind: 'cognito'; label: string };

/** The part of Amplify's client the page uses: its generated types are too deep for string documents. */
export interface GraphQLClient {
  // Results are read field by field, as a client reads JSON.
  graphql(call: { query: string; variables?: Record<string, unknown> }): any;
}

export async function localUserSession(config: PageConfig, username: string, groups: string[]): Promise<Session> {
  if (!config.localTokenUrl) throw new Error('This server gives no local tokens.');
  const response = await fetch(config.localTokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, groups }),
  });
  const body = (await response.json()) as { token?: string; message?: string };
  if (!response.ok || !body.token) throw new Error(body.message ?? `The server refused the sign-in (${response.status}).`);
  return { kind: 'user', label: username, token: body.token, groups };
}

const cognitoConfig = (config: PageConfig) => ({
  Cognito: {
    userPoolId: config.userPool.userPoolId,
    userPoolClientId: config.userPool.clientId,
    ...(config.cognitoEndpoint ? { userPoolEndpoint: config.cognitoEndpoint } : {}),
  },
});

/** Amplify's Auth, before signIn: the user pool of the stack the page is pointed at. */
export function configureUserPool(config: PageConfig): void {
  Amplify.configure({ Auth: cognitoConfig(config) });
}

export function clientFor(config: PageConfig, session: Session): GraphQLClient {
  Amplify.configure(
    {
      Auth: cognitoConfig(config),
      API: {
        GraphQL: {
          endpoint: config.graphqlUrl,
          region: config.region,
          defaultAuthMode: session.kind === 'apiKey' ? 'apiKey' : 'userPool',
          ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        },
      },
    },
    session.kind === 'user' ? { Auth: { tokenProvider: { getTokens: async () => ({ accessToken: decodeJWT(session.token) }) } } } : {},
  );
  return generateClient() as unknown as GraphQLClient;
}
