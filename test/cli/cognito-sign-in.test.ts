/**
 * `files --outputs cdk-outputs.json --user NAME`: signing in to a deployed
 * stack's Cognito user pool through Amplify, as a user runs it (the bin in a
 * child process). AWS cannot run here: a local emulation of the user pool's
 * auth API (test/support/cognito-emulator.ts, SRP checked as Cognito checks it)
 * stands in for Cognito, and its tokens are signed with the local server's key,
 * so the local API plays the deployed AppSync API.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadFileDocument } from '../../generated/operations';
import { startCognitoEmulator, type CognitoEmulator } from '../support/cognito-emulator';
import { postGraphQL } from '../support/local-server';
import { totpCode } from '../support/totp';
import { useFilesCli, waitFor } from './cli-process';

const cli = useFilesCli();
let cognito: CognitoEmulator;
let outputs: string;

beforeAll(async () => {
  const { server } = cli;
  cognito = await startCognitoEmulator({
    userPoolId: server.userPool.userPoolId,
    clientId: server.userPool.clientId,
    signToken: (request) => server.signToken(request),
  });
  outputs = path.join(cli.workDir, 'cdk-outputs.json');
  const stack = {
    GraphQLUrl: server.graphqlUrl,
    RealtimeUrl: server.realtimeUrl,
    RestUrl: server.restUrl,
    UserPoolId: server.userPool.userPoolId,
    UserPoolClientId: server.userPool.clientId,
  };
  await writeFile(outputs, JSON.stringify({ CodeCraftFiles: stack }));
});
afterAll(async () => {
  await cognito?.close();
});

const project = () => `cog${randomUUID().slice(0, 8)}`;
const seed = async (projectID: string, fileName: string) => {
  const { body } = await postGraphQL(
    cli.server.graphqlUrl,
    {
      query: UploadFileDocument.toString(),
      variables: { input: { projectID, fileName, fileType: 'text', contentBase64: Buffer.from('hi').toString('base64') } },
    },
    { 'x-api-key': cli.server.apiKey },
  );
  expect(body.errors).toBeUndefined();
};
const tokenFiles = async () =>
  (await readdir(path.join(cli.configHome, 'codecraft-files')).catch(() => [] as string[])).filter((name) => name.startsWith('tokens-'));

describe('files --outputs … --user (Cognito sign-in)', () => {
  it('signs in with SRP, sets the new password an admin-created user must choose, lists; the next run reuses the cached tokens', async () => {
    const projectID = project();
    await seed(projectID, 'plan.txt');
    cognito.addUser({ username: 'carol', password: 'Temporary-1', groups: [`project-${projectID}`], temporary: true });
    const env = { FILES_COGNITO_ENDPOINT: cognito.endpoint };
    const before = cognito.calls.length;

    const first = await cli.run(['ls', '--project', projectID, '--outputs', outputs, '--user', 'carol'], {
      ...env,
      FILES_PASSWORD: 'Temporary-1',
      FILES_NEW_PASSWORD: 'Chosen-by-carol-2',
    });

    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toMatch(/^NAME +SIZE +TYPE +UPLOADED BY +UPLOADED +FILE ID\nplan\.txt +2 B +text +api-key /);
    expect(cognito.calls.slice(before)).toEqual([
      'InitiateAuth:USER_SRP_AUTH',
      'RespondToAuthChallenge:PASSWORD_VERIFIER',
      'RespondToAuthChallenge:NEW_PASSWORD_REQUIRED',
    ]);
    const [file] = await tokenFiles();
    // Named by the user name's hash: no two names can share a cache.
    expect(file).toBe(`tokens-us-east-1_CodeCraftLocal-codecraft-local-client-${createHash('sha256').update('carol').digest('hex').slice(0, 32)}.json`);
    expect((await stat(path.join(cli.configHome, 'codecraft-files', file))).mode & 0o777).toBe(0o600);

    // No password this time (stdin is closed: a prompt would fail): the cached access token is used, Cognito is not called.
    const second = await cli.run(['ls', '--project', projectID, '--outputs', outputs, '--user', 'carol'], env);
    expect([second.code, second.stderr, second.stdout]).toEqual([0, '', first.stdout]);
    expect(cognito.calls.length).toBe(before + 3);

    // The token carries the pool's groups: another project is refused.
    const other = await cli.run(['ls', '--project', project(), '--outputs', outputs, '--user', 'carol'], env);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/Not authorized for project/);

    // Without the cache, the new password signs in at once: no NEW_PASSWORD_REQUIRED again.
    await rm(path.join(cli.configHome, 'codecraft-files', file));
    const again = await cli.run(['ls', '--project', projectID, '--outputs', outputs, '--user', 'carol'], { ...env, FILES_PASSWORD: 'Chosen-by-carol-2' });
    expect([again.code, again.stderr, again.stdout]).toEqual([0, '', first.stdout]);
    expect(cognito.calls.slice(before + 3)).toEqual(['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  }, 30_000);

  it('refreshes, with the cached refresh token, an access token with under ten minutes to live', async () => {
    const projectID = project();
    await seed(projectID, 'a.txt');
    // 5-minute tokens: still good, but one handed out now (files token, a long smoke run) could die in use.
    cognito.addUser({ username: 'dave', password: 'Dave-password-1', groups: [`project-${projectID}`], tokenLifetime: 300 });
    const env = { FILES_COGNITO_ENDPOINT: cognito.endpoint };
    const before = cognito.calls.length;
    const first = await cli.run(['ls', '--project', projectID, '--outputs', outputs, '--user', 'dave'], { ...env, FILES_PASSWORD: 'Dave-password-1' });
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(cognito.calls.slice(before)).toEqual(['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
    const second = await cli.run(['ls', '--project', projectID, '--outputs', outputs, '--user', 'dave'], env);
    expect([second.code, second.stderr, second.stdout]).toEqual([0, '', first.stdout]);
    // Amplify 6 refreshes with GetTokensFromRefreshToken; no password, no SRP.
    expect(cognito.calls.slice(before)).toEqual(['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'GetTokensFromRefreshToken']);
  }, 30_000);

  it("watches over the real-time socket with the signed-in user's access token", async () => {
    const projectID = project();
    cognito.addUser({ username: 'frank', password: 'Frank-password-1', groups: [`project-${projectID}`] });
    const watcher = cli.start(['watch', '--project', projectID, '--outputs', outputs, '--user', 'frank'], {
      FILES_COGNITO_ENDPOINT: cognito.endpoint,
      FILES_PASSWORD: 'Frank-password-1',
    });
    await waitFor(watcher, 'stderr', /Watching project/);
    await seed(projectID, 'live.txt');
    await waitFor(watcher, 'stdout', /uploaded +live\.txt/);
    watcher.child.kill('SIGINT');
    const watched = await watcher.finished;
    expect([watched.code, watched.stderr]).toEqual([0, `Watching project ${projectID} for uploads and deletions as user frank (Ctrl-C stops).\n`]);
    expect(cli.server.activeSubscriptions()).toBe(0);
  }, 30_000);

  it("refuses a wrong password with Cognito's answer, and says so when there is no password to read", async () => {
    cognito.addUser({ username: 'erin', password: 'Erin-password-1' });
    const wrong = await cli.run(['ls', '--project', 'p', '--outputs', outputs, '--user', 'erin'], {
      FILES_COGNITO_ENDPOINT: cognito.endpoint,
      FILES_PASSWORD: 'not-it',
    });
    expect(wrong).toEqual({ code: 1, stdout: '', stderr: 'NotAuthorizedException: Incorrect username or password.\n' });
    expect(await tokenFiles()).not.toContainEqual(expect.stringMatching(/erin/));

    // stdin is closed (not a terminal, no input): the prompt cannot be answered.
    const silent = await cli.run(['ls', '--project', 'p', '--outputs', outputs, '--user', 'erin'], {
      FILES_COGNITO_ENDPOINT: cognito.endpoint,
      FILES_PASSWORD: undefined,
    });
    expect(silent).toEqual({ code: 1, stdout: '', stderr: 'Password for erin: \nNoInput: No answer to "Password for erin:" on stdin.\n' });
  });

  it('sets up TOTP at the first sign-in (printing the otpauth URI for the app), then asks for a code at the next', async () => {
    const projectID = project();
    await seed(projectID, 'totp.txt');
    cognito.addUser({ username: 'grace', password: 'Temporary-5', groups: [`project-${projectID}`], temporary: true, mfa: true });
    const env = { FILES_COGNITO_ENDPOINT: cognito.endpoint, FILES_PASSWORD: 'Temporary-5', FILES_NEW_PASSWORD: 'Chosen-by-grace-6' };
    const args = ['ls', '--project', projectID, '--outputs', outputs, '--user', 'grace'];

    const first = cli.start(args, env, 'pipe');
    const [, uri] = await waitFor(first, 'stderr', /(otpauth:\/\/\S+)/);
    await waitFor(first, 'stderr', /Code from the app: $/);
    // The user's authenticator app, holding the secret the URI carries.
    const secret = new URL(uri).searchParams.get('secret')!;
    first.child.stdin!.end(`${totpCode(secret)}\n`);
    const setUp = await first.finished;

    expect(setUp.code).toBe(0);
    expect(setUp.stdout).toMatch(/totp\.txt/);
    expect(cognito.totpSecretOf('grace')).toBe(secret);

    // Without the cache: password, then a code from the app.
    for (const name of await tokenFiles()) await rm(path.join(cli.configHome, 'codecraft-files', name));
    const next = cli.start(args, { ...env, FILES_PASSWORD: 'Chosen-by-grace-6' }, 'pipe');
    await waitFor(next, 'stderr', /Code from the authenticator app: $/);
    next.child.stdin!.end(`${totpCode(secret)}\n`);
    const signedIn = await next.finished;
    expect([signedIn.code, signedIn.stdout]).toEqual([0, setUp.stdout]);
  });

  it("prints the signed-in user's token, or shell assignments of TOKEN, GRAPHQL_URL and REST_URL that POST /upload accepts", async () => {
    const projectID = project();
    cognito.addUser({ username: 'heidi', password: 'Heidi-password-1', groups: [`project-${projectID}`] });
    const env = { FILES_COGNITO_ENDPOINT: cognito.endpoint, FILES_PASSWORD: 'Heidi-password-1' };

    const printed = await cli.run(['token', '--outputs', outputs, '--user', 'heidi'], env);
    const assigned = await cli.run(['token', '--outputs', outputs, '--user', 'heidi', '--env'], env);

    expect([printed.code, printed.stderr]).toEqual([0, '']);
    const token = printed.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(assigned).toEqual({
      code: 0,
      stdout: `export TOKEN='${token}'\nexport GRAPHQL_URL='${cli.server.graphqlUrl}'\nexport REST_URL='${cli.server.restUrl}'\n`,
      stderr: '',
    });
    const response = await fetch(cli.server.restUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ file_content: 'aGVsbG8=', file_name: 'hello.txt', project_id: projectID, file_type: 'text' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ file: { fileName: 'hello.txt', uploadedBy: 'heidi' } });
  });

  it('smoke-tests the "deployed stack" of ./cdk-outputs.json as a Cognito admin, every step passing', async () => {
    cognito.addUser({ username: 'ivan', password: 'Ivan-password-1', groups: ['admins'] });

    const run = await cli.run(['smoke', '--user', 'ivan'], { FILES_COGNITO_ENDPOINT: cognito.endpoint, FILES_PASSWORD: 'Ivan-password-1' });

    expect([run.code, run.stderr]).toEqual([0, '']);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Smoke test of ${cli.server.graphqlUrl} \\(.+cdk-outputs\\.json \\(stack CodeCraftFiles\\)\\), project smoke-`));
    expect(lines[1]).toMatch(/^ok +\d+(\.\d)? m?s  sign in: user ivan$/);
    expect(lines.slice(2, -1).every((line) => line.startsWith('ok '))).toBe(true);
    expect(lines.slice(2, -1)).toHaveLength(8);
    expect(lines.at(-1)).toMatch(/^passed in /);
  }, 30_000);

  it('smoke-tests with an API key from FILES_API_KEY instead (never on the command line), skipping POST /upload (it takes user-pool tokens only) and saying so', async () => {
    const run = await cli.run(['smoke', '--outputs', outputs], { FILES_API_KEY: cli.server.apiKey });

    expect([run.code, run.stderr]).toEqual([0, '']);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^ok +\d+(\.\d)? m?s  sign in: API key$/);
    expect(lines.filter((line) => line.startsWith('skipped'))).toEqual(['skipped       -  POST /upload: it takes user-pool tokens only: run with --user']);
    expect(lines.filter((line) => line.startsWith('ok '))).toHaveLength(8);
    expect(lines.at(-1)).toMatch(/^passed in .+ \(1 step skipped\)$/);
  }, 30_000);

  it('smoke: a deployed stack without --user is a usage error that says how to sign in', async () => {
    const run = await cli.run(['smoke', '--outputs', outputs]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: A deployed stack's smoke test signs in as a Cognito user: --user NAME/);
  });
});
