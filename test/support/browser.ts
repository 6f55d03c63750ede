/**
 * Headless Chromium from the Debian `chromium` package, driven by
 * playwright-core (which downloads no browser of its own). Without a
 * browser the page tests skip on a developer's machine and fail under
 * CI=true, where .ci/run installs one.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '../../infra/bundle';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export const chromiumPath = CANDIDATES.find((candidate) => existsSync(candidate));

if (!chromiumPath && process.env.CI === 'true') {
  throw new Error(`No Chromium found (looked at ${CANDIDATES.join(', ')}): CI must run the browser tests. Install the Debian "chromium" package.`);
}

/** Screenshots of each step, kept as test artifacts (not committed). */
export const artifactsDir = path.join(projectRoot, 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
  await mkdir(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    // As root in CI, Chromium needs --no-sandbox; the rest keep it off the network this machine does not have.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
