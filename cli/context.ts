/**
 * What every command runs with: where it was started, its streams, the Ctrl-C
 * signal, and the options that say which API to call and as whom (the same on
 * every command, so each one's --help lists them).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { resolveAuth, type Auth, type AuthOptions } from './auth';
import { graphqlClient, type GraphQLCall } from './graphql';
import { resolveTarget, type Target } from './target';

export interface Context {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** This repository: where `npm start` keeps .data/ when run here. */
  repoRoot: string;
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
}

export interface ConnectionOptions {
  endpoints?: string;
  outputs?: string;
  url?: string;
  realtimeUrl?: string;
  apiKey?: string;
  user?: string;
  groups?: string[];
}

export interface Connection {
  target: Target;
  auth: Auth;
  api: GraphQLCall;
}

const groupList = (value: string): string[] => {
  const groups = value
    .split(',')
    .map((group) => group.trim())
    .filter(Boolean);
  if (!groups.length) throw new InvalidArgumentError('give at least one group, e.g. --groups project-42,admins.');
  return groups;
};

/** Adds the target and auth options to a command. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option('--endpoints <file>', 'endpoints.json of a local server (default: $DATA_DIR/endpoints.json, else ./.data/endpoints.json)')
    .option('--outputs <file>', 'cdk-outputs.json of a deployed stack (with --api-key, or --user to sign in through its Cognito user pool)')
    .option('--url <graphqlUrl>', "the API's GraphQL URL (needs --api-key, or --user for a local server)")
    .option('--realtime-url <url>', 'with --url: the real-time WebSocket URL, when it cannot be derived')
    .option('--api-key <key>', 'call with this API key; FILES_API_KEY keeps it out of the command line (default for a local server: its own key)')
    .option(
      '--user <name>',
      'call as this user-pool user (local server: a token from the server; deployed stack: Cognito sign-in, password from FILES_PASSWORD or a prompt, tokens cached under ~/.config/codecraft-files)',
    )
    .option('--groups <g1,g2>', "with --user: the user's groups, e.g. project-42 or admins", groupList);
}

export async function connect(options: ConnectionOptions, context: Context): Promise<Connection> {
  return connectTo(await resolveTarget(options, context.env, context.cwd, context.repoRoot), options, context);
}

/** Signs in to a target already chosen. */
export async function connectTo(target: Target, options: AuthOptions, context: Context): Promise<Connection> {
  const auth = await resolveAuth(target, options, context.signal, { env: context.env, stderr: context.stderr });
  return { target, auth, api: graphqlClient(target, auth) };
}
