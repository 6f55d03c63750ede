/**
 * Which API `files` talks to. The local server by default, found the way
 * `npm start` leaves it (endpoints.json under DATA_DIR or ./.data); a deployed
 * stack from the outputs `cdk deploy --outputs-file` wrote; or bare URLs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CognitoPool } from './cognito';
import { DEFAULT_DATA_DIR, ENDPOINTS_FILE } from '../local/data-dir';
import { CliError, UsageError } from './errors';

export interface Target {
  graphqlUrl: string;
  realtimeUrl: string;
  /** The legacy POST /upload endpoint (endpoints.json's restUrl, the stack's RestUrl output), when known. */
  restUrl?: string;
  /** POST {username, groups} → {token}: only the local server has it; a deployed stack signs users in through Cognito. */
  localTokenUrl?: string;
  /** A deployed stack's user pool and app client (cdk-outputs.json's UserPoolId, UserPoolClientId): where --user signs in. */
  cognito?: CognitoPool;
  /** The key to use when no --api-key is given: the local server's own. */
  apiKey?: string;
  /** The local server's CA (PEM), trusted for its https:// and wss:// endpoints. */
  ca?: string;
  /** Where the settings came from, for error messages. */
  source: string;
}

export interface TargetOptions {
  endpoints?: string;
  outputs?: string;
  url?: string;
  realtimeUrl?: string;
}

/** The parts of endpoints.json (see local/endpoints.ts) the CLI reads. */
interface EndpointsFile {
  graphqlUrl?: unknown;
  realtimeUrl?: unknown;
  restUrl?: unknown;
  localTokenUrl?: unknown;
  apiKey?: unknown;
  caCertFile?: unknown;
}

async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError('NoSuchFile', `Cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? error}.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError('ValidationError', `${file} is not JSON.`);
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

async function fromEndpointsFile(file: string): Promise<Target> {
  const json = (await readJsonFile(file, 'the endpoints file')) as EndpointsFile;
  const graphqlUrl = text(json?.graphqlUrl);
  const realtimeUrl = text(json?.realtimeUrl);
  if (!graphqlUrl || !realtimeUrl)
    throw new CliError('ValidationError', `${file} holds no graphqlUrl and realtimeUrl: is it the endpoints.json \`npm start\` writes?`);
  const caCertFile = text(json.caCertFile);
  // The CA matters only for https:// and wss://; a missing file must not stop plain-HTTP use.
  const ca = caCertFile ? await readFile(caCertFile, 'utf8').catch(() => undefined) : undefined;
  return { graphqlUrl, realtimeUrl, restUrl: text(json.restUrl), localTokenUrl: text(json.localTokenUrl), apiKey: text(json.apiKey), ca, source: file };
}

/** cdk-outputs.json: {"<StackName>": {"GraphQLUrl": …, "RealtimeUrl": …, …}}; the stack that has a GraphQLUrl. */
async function fromCdkOutputs(file: string, env: NodeJS.ProcessEnv): Promise<Target> {
  const json = await readJsonFile(file, 'the CDK outputs file');
  const stacks = typeof json === 'object' && json !== null ? Object.entries(json as Record<string, Record<string, unknown>>) : [];
  const found = stacks.find(([, outputs]) => text(outputs?.GraphQLUrl));
  if (!found)
    throw new CliError(
      'ValidationError',
      `${file} names no stack with a GraphQLUrl output: write it with \`npx cdk deploy --outputs-file ${path.basename(file)}\`.`,
    );
  const [stack, outputs] = found;
  const graphqlUrl = text(outputs.GraphQLUrl)!;
  const userPoolId = text(outputs.UserPoolId);
  const clientId = text(outputs.UserPoolClientId);
  // FILES_COGNITO_ENDPOINT: a Cognito-compatible endpoint in place of AWS's (the tests' local emulation).
  const endpoint = text(env.FILES_COGNITO_ENDPOINT);
  const cognito = userPoolId && clientId ? { userPoolId, clientId, ...(endpoint ? { endpoint } : {}) } : undefined;
  return {
    graphqlUrl,
    realtimeUrl: text(outputs.RealtimeUrl) ?? realtimeUrlOf(graphqlUrl),
    restUrl: text(outputs.RestUrl),
    cognito,
    source: `${file} (stack ${stack})`,
  };
}

const APPSYNC_HOST = /\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com$/;

/** AppSync serves subscriptions on a sibling host; the local server on <graphql>/realtime, same port. */
export function realtimeUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  if (APPSYNC_HOST.test(url.hostname)) {
    url.hostname = url.hostname.replace('.appsync-api.', '.appsync-realtime-api.');
  } else {
    url.pathname = `${url.pathname.replace(/\/$/, '')}/realtime`;
  }
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function fromUrl(graphqlUrl: string, realtimeUrl: string | undefined): Target {
  let url: URL;
  try {
    url = new URL(graphqlUrl);
  } catch {
    throw new UsageError(`--url must be the API's GraphQL URL, e.g. http://127.0.0.1:4000/graphql; got "${graphqlUrl}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be an http:// or https:// URL; got "${graphqlUrl}".`);
  // Not AppSync: a local server, whose token endpoint sits next to /graphql.
  const local = !APPSYNC_HOST.test(url.hostname);
  return {
    graphqlUrl,
    realtimeUrl: realtimeUrl ?? realtimeUrlOf(graphqlUrl),
    ...(local ? { localTokenUrl: new URL('/local/token', url).toString(), restUrl: new URL('/upload', url).toString() } : {}),
    source: '--url',
  };
}

/** Where `npm start` would have written endpoints.json, most specific first. */
function defaultEndpointsFiles(env: NodeJS.ProcessEnv, cwd: string, repoRoot: string): string[] {
  const candidates = [
    ...(env.DATA_DIR ? [path.resolve(cwd, env.DATA_DIR, ENDPOINTS_FILE)] : []),
    path.resolve(cwd, DEFAULT_DATA_DIR, ENDPOINTS_FILE),
    // `npm start` run in this repository, `files` run from elsewhere.
    path.join(repoRoot, DEFAULT_DATA_DIR, ENDPOINTS_FILE),
  ];
  return [...new Set(candidates)];
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

export async function resolveTarget(options: TargetOptions, env: NodeJS.ProcessEnv, cwd: string, repoRoot: string): Promise<Target> {
  const chosen = (['endpoints', 'outputs', 'url'] as const).filter((name) => options[name] !== undefined);
  if (chosen.length > 1) throw new UsageError(`Choose one target: ${chosen.map((name) => `--${name}`).join(' or ')}.`);
  if (options.realtimeUrl !== undefined && options.url === undefined) throw new UsageError('--realtime-url goes with --url.');
  if (options.endpoints !== undefined) return fromEndpointsFile(path.resolve(cwd, options.endpoints));
  if (options.outputs !== undefined) return fromCdkOutputs(path.resolve(cwd, options.outputs), env);
  if (options.url !== undefined) return fromUrl(options.url, options.realtimeUrl);
  const candidates = defaultEndpointsFiles(env, cwd, repoRoot);
  for (const file of candidates) if (await exists(file)) return fromEndpointsFile(file);
  throw new CliError(
    'NoEndpoints',
    `No local server found: none of ${candidates.join(', ')} exists. Start one with \`npm start\`, or name the API with --endpoints, --outputs or --url.`,
  );
}
