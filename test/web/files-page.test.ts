/**
 * The /files page in headless Chromium, as people use it: alice drops three
 * files (one of 50 MB) and watches them reach 100 %; bob, in his own
 * browser context, sees them appear live and downloads one; alice deletes
 * one and it vanishes from bob's page; mallory, of another project, is told
 * plainly that she is not a member. Screenshots of each step go to
 * test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { bytesOf } from '../support/direct-upload';
import { artifactsDir, chromiumPath, launchChromium } from '../support/browser';
import { useLocalServer } from '../support/local-server';
import { useTempDirs } from '../support/temp-dirs';

const local = useLocalServer();
const tempDir = useTempDirs();
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const pageUrl = (project: string) => new URL(`/files?project=${project}`, local.server.graphqlUrl).href;
const shot = (page: Page, step: string) => page.screenshot({ path: path.join(artifactsDir, `files-page-${step}.png`), fullPage: true });
const rows = (page: Page) => page.locator('tr[data-file-id]');

async function signIn(browser: Browser, username: string, groups: string, by: 'mouse' | 'keyboard' = 'mouse', project = '42'): Promise<Page> {
  const page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 800 } })).newPage();
  await page.goto(pageUrl(project));
  if (by === 'keyboard') {
    // Tab order: user name, groups, sign-in button; Enter submits.
    await page.getByLabel('User name').focus();
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(groups);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
  } else {
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Groups').fill(groups);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.getByRole('heading', { name: `Project ${project}` }).waitFor();
  return page;
}

/** Waits for the page's live updates to connect (or, refused, to stop). */
async function liveState(page: Page, state: 'on' | 'off'): Promise<void> {
  await page.locator(`.live[data-live="${state}"]`).waitFor({ timeout: 15_000 });
}

describe.skipIf(!chromiumPath)('the /files page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('uploads with progress, shows other people’s files live, downloads, deletes, and refuses outsiders in plain words', async () => {
    const dir = await tempDir('page');
    const big = bytesOf(50 * 1000 * 1000, 42);
    const files = { 'notes.txt': Buffer.from('meeting notes\n'), 'dot.png': PNG, 'dataset.bin': big };
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);

    const alice = await signIn(browser, 'alice', 'project-42');
    const bob = await signIn(browser, 'bob', 'project-42');
    await liveState(bob, 'on');
    await shot(bob, '1-bob-empty');

    await alice.getByLabel('Choose files to upload').setInputFiles(Object.keys(files).map((name) => path.join(dir, name)));
    for (const name of Object.keys(files)) {
      await alice.locator(`li[data-upload="${name}"][data-state="done"]`).waitFor({ timeout: 60_000 });
      await expect(alice.locator(`li[data-upload="${name}"] .percent`).textContent()).resolves.toBe('100%');
    }
    await shot(alice, '2-alice-uploaded');

    await expect.poll(() => rows(bob).count(), { timeout: 10_000 }).toBe(3);
    await expect(bob.getByRole('rowheader', { name: 'dataset.bin' }).textContent()).resolves.toBe('dataset.bin');
    await expect(bob.locator('tr', { hasText: 'dataset.bin' }).locator('td[data-label="Size"]').textContent()).resolves.toBe('50 MB');
    await bob.locator('tr', { hasText: 'dot.png' }).locator('img.preview').waitFor();
    await shot(bob, '3-bob-sees-live');

    const [download] = await Promise.all([bob.waitForEvent('download'), bob.getByRole('button', { name: 'Download dataset.bin' }).click()]);
    expect(download.suggestedFilename()).toBe('dataset.bin');
    expect(sha256(await readFile((await download.path())!))).toBe(sha256(big));

    alice.once('dialog', (dialog) => void dialog.accept());
    await alice.getByRole('button', { name: 'Delete notes.txt' }).click();
    await expect.poll(() => rows(bob).count(), { timeout: 10_000 }).toBe(2);
    await expect(bob.getByRole('status').textContent()).resolves.toBe('notes.txt was deleted.');
    await shot(bob, '4-bob-after-delete');

    const mallory = await signIn(browser, 'mallory', 'project-7', 'keyboard');
    await liveState(mallory, 'off');
    await expect(mallory.getByRole('alert').textContent()).resolves.toBe('You are not a member of project 42.');
    expect(await rows(mallory).count()).toBe(0);
    await shot(mallory, '5-mallory-refused');

    await alice.setViewportSize({ width: 390, height: 844 });
    await shot(alice, '6-phone-width');
  });

  it('cancels a 200 MB upload part-way, then retries it to completion', async () => {
    const dir = await tempDir('cancel');
    const file = path.join(dir, 'video.bin');
    await writeFile(file, bytesOf(200 * 1000 * 1000, 3));
    const alice = await signIn(browser, 'alice', 'project-42');
    const row = alice.locator('li[data-upload="video.bin"]');

    await alice.getByLabel('Choose files to upload').setInputFiles(file);
    await alice.locator('li[data-upload="video.bin"][data-state="uploading"]').waitFor({ timeout: 30_000 });
    await alice.getByRole('button', { name: 'Cancel video.bin' }).click();
    await alice.locator('li[data-upload="video.bin"][data-state="cancelled"]').waitFor();
    await shot(alice, '7-cancelled');
    await alice.getByRole('button', { name: 'Retry video.bin' }).click();
    await alice.locator('li[data-upload="video.bin"][data-state="done"]').waitFor({ timeout: 60_000 });

    await expect(row.locator('.percent').textContent()).resolves.toBe('100%');
    await expect.poll(() => alice.locator('tr', { hasText: 'video.bin' }).count()).toBe(1);
    await shot(alice, '8-retried');
  });

  it('takes files dropped on the drop zone, and pages a long listing with "Load more"', async () => {
    const page = await signIn(browser, 'carol', 'project-43', 'mouse', '43');

    // What a drag from the desktop delivers: a DataTransfer holding File objects, dropped on the zone.
    // (Source text: it runs in the page, whose DOM types this Node test is not compiled with.)
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      for (let i = 0; i < 22; i++) transfer.items.add(new File(['file ' + i + '\\n'], 'dropped-' + String(i).padStart(2, '0') + '.txt', { type: 'text/plain' }));
      return transfer;
    })()`);
    await page.locator('.drop').dispatchEvent('dragover', { dataTransfer });
    await page.locator('.drop').dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => page.locator('li[data-state="done"]').count(), { timeout: 30_000 }).toBe(22);

    // Another visit, picking the project with the form.
    const fresh = await signIn(browser, 'carol', 'project-43');
    await fresh.getByLabel('Project', { exact: true }).fill('43');
    await fresh.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => rows(fresh).count(), { timeout: 10_000 }).toBe(20);
    await fresh.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows(fresh).count(), { timeout: 10_000 }).toBe(22);
    await expect(fresh.getByRole('button', { name: 'Load more' }).count()).resolves.toBe(0);
    await shot(fresh, '9-load-more');
  });
});
