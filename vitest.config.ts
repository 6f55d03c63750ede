import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once: tests run the same bundles that CDK deploys.
    globalSetup: ['test/support/build-bundles.ts'],
    // The AWS SDK's notice that its 2027 releases need Node 22: the lockfile
    // pins a release that runs on Node 20, so the notice is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Most files wait on servers, sockets, child processes and a browser rather than compute: two at a time on
    // this 2-core machine (vitest's default is CPUs − 1, one) keeps the suite well within its 5 minutes.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
