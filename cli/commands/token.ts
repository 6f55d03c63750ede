/**
 * `files token --user NAME`: the user's user-pool token on stdout, for curl
 * and POST /upload — from a Cognito sign-in to a deployed stack (the same
 * sign-in, challenges and token cache as every other command), or from the
 * local server. With --env: shell assignments of TOKEN, GRAPHQL_URL and
 * REST_URL, for `eval "$(npx files token … --env)"` (prompts go to stderr).
 */
import { connect, type ConnectionOptions, type Context } from '../context';
import { UsageError } from '../errors';

export interface TokenOptions extends ConnectionOptions {
  env?: boolean;
}

/** Single-quoted for POSIX shells. */
const quoted = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

export async function tokenCommand(options: TokenOptions, context: Context): Promise<void> {
  if (options.user === undefined) throw new UsageError("files token needs --user NAME: it prints that user's token (an API key is used as it is).");
  const { target, auth } = await connect(options, context);
  const token = auth.token!;
  if (!options.env) {
    context.stdout.write(`${token}\n`);
    return;
  }
  const variables: [string, string | undefined][] = [
    ['TOKEN', token],
    ['GRAPHQL_URL', target.graphqlUrl],
    ['REST_URL', target.restUrl],
  ];
  for (const [name, value] of variables) if (value !== undefined) context.stdout.write(`export ${name}=${quoted(value)}\n`);
}
