import { defineConfig } from '@playwright/test';

/**
 * Browser tests: Debian's Chromium (Playwright's own download cannot reach its host here) against the built API,
 * a worker, Postgres, Redis and s3rver, started once by the global setup. Failures leave screenshots and traces
 * in test-results/browser/.
 */
export default defineConfig({
  testDir: 'test/browser',
  testMatch: '*.browser.ts',
  outputDir: 'test-results/browser/failures',
  globalSetup: './test/browser/global-setup.ts',
  // one stack, shared data: the files run one after another, each test on its own calls
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: 'test-results/browser/report', open: 'never' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    locale: 'en-GB',
    timezoneId: 'UTC',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    },
  },
});
