/**
 * The /files page pointed at a "deployed" stack: no local sign-in, only the
 * user pool, through Amplify's signIn (SRP) and its new-password challenge.
 * AWS cannot run here: test/support/cognito-emulator.ts stands in for
 * Cognito (SRP checked as Cognito checks it), and the local API, which
 * accepts its tokens, plays the deployed AppSync API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { UploadFileDocument } from '../../generated/operations';
import type { DeployedPageTarget } from '../../local/files-page/files-page';
import { startLocalServer, type LocalServer } from '../../local/server';
import { artifactsDir, chromiumPath, launchChromium } from '../support/browser';
import { startCognitoEmulator, type CognitoEmulator } from '../support/cognito-emulator';
import { postGraphQL } from '../support/local-server';
import { totpCode } from '../support/totp';
import path from 'node:path';

let server: LocalServer;
let cognito: CognitoEmulator;
// Filled in once the server listens: the page reads it per request.
const target = {} as DeployedPageTarget;

beforeAll(async () => {
  cognito = await startCognitoEmulator({
    userPoolId: 'us-east-1_CodeCraftLocal',
    clientId: 'codecraft-local-client',
    signToken: (request) => server.signToken(request),
  });
  server = await startLocalServer({ port: 0, filesPageTarget: target });
  Object.assign(target, { graphqlUrl: server.graphqlUrl, region: 'us-east-1', userPool: server.userPool, cognitoEndpoint: cognito.endpoint });
});
afterAll(async () => {
  await server?.close();
  await cognito?.close();
});

describe.skipIf(!chromiumPath)('the /files page pointed at a deployed stack', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs a user in through the user pool (SRP, then a new password) and lists the project', async () => {
    cognito.calls.length = 0;
    cognito.addUser({ username: 'dana@example.com', password: 'Temporary-Pass-1', groups: ['project-77'], temporary: true });
    const seeded = await postGraphQL(
      server.graphqlUrl,
      {
        query: UploadFileDocument.toString(),
        variables: { input: { projectID: '77', fileName: 'plan.txt', fileType: 'text', contentBase64: Buffer.from('plan').toString('base64') } },
      },
      { 'x-api-key': server.apiKey },
    );
    expect(seeded.body.errors).toBeUndefined();
    const page = await browser.newPage();
    await page.goto(new URL('/files?project=77', server.graphqlUrl).href);

    expect(await page.getByRole('button', { name: 'Use the API key' }).count()).toBe(0);
    await page.getByLabel('Email or user name').fill('dana@example.com');
    await page.getByLabel('Password').fill('Temporary-Pass-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('New password').fill('My-Own-Pass-2');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Project 77' }).waitFor();
    await page.locator('tr', { hasText: 'plan.txt' }).waitFor();
    await page.locator('.live[data-live="on"]').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(artifactsDir, 'files-page-cognito.png'), fullPage: true });
    expect(cognito.calls).toEqual(['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'RespondToAuthChallenge:NEW_PASSWORD_REQUIRED']);
  });

  it('sets up TOTP at the first sign-in, as the deployed pool requires, and asks for a code at the next', async () => {
    cognito.addUser({ username: 'erin@example.com', password: 'Temporary-Pass-3', groups: ['project-77'], temporary: true, mfa: true });
    const page = await browser.newPage();
    await page.goto(new URL('/files?project=77', server.graphqlUrl).href);
    const signInWithPassword = async (password: string) => {
      await page.getByLabel('Email or user name').fill('erin@example.com');
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };

    await signInWithPassword('Temporary-Pass-3');
    await page.getByLabel('New password').fill('My-Own-Pass-4');
    await page.getByRole('button', { name: 'Continue' }).click();
    const setup = await page.locator('.help', { hasText: 'otpauth://' }).textContent();
    // The user's authenticator app: it reads the secret from the URI the page shows.
    const secret = new URL(setup!.slice(setup!.indexOf('otpauth://'))).searchParams.get('secret')!;
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Project 77' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByLabel('Email or user name').waitFor();
    await signInWithPassword('My-Own-Pass-4');
    await page.getByLabel('Code from your authenticator app').fill('000000' === totpCode(secret) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('That code is not right: type the code your authenticator app shows now.');
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Project 77' }).waitFor();

    expect(cognito.totpSecretOf('erin@example.com')).toBe(secret);
  });
});
