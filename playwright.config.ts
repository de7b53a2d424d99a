import { defineConfig } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Browser tests drive Debian's Chromium (browsers cannot be downloaded here);
// scripts/test.sh installs it when /usr/bin/chromium is missing. Its path and
// flags are shared with the fresh-app test (scripts/fresh-app/checkFrontend.mjs).
const chromium: { executablePath: string; args: string[] } = JSON.parse(
  readFileSync(path.join(__dirname, 'scripts/lib/chromium.json'), 'utf8'),
);
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  projects: [
    { name: 'flows', testIgnore: /performance\.test\.ts/ },
    // Last: it registers 10,000 versions, whose events the backend is still
    // consuming minutes later, and a version registered meanwhile waits behind them.
    {
      name: 'performance',
      testMatch: /performance\.test\.ts/,
      dependencies: ['flows'],
    },
  ],
  webServer: [
    {
      command:
        'yarn workspace @ml-governance/aws-sandbox start --step-ms 200 --check-responses',
      url: 'http://127.0.0.1:4566/_sandbox/health',
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'yarn workspace backend start',
      env: {
        AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566',
        AWS_ACCESS_KEY_ID: '999999999999',
        AWS_SECRET_ACCESS_KEY: 'sandbox',
      },
      url: 'http://localhost:7007/.backstage/health/v1/readiness',
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'yarn workspace app start',
      url: 'http://localhost:3000',
      reuseExistingServer: !process.env.CI,
      timeout: 600_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? chromium.executablePath,
      // Playwright gives every launch a fresh, temporary user-data-dir.
      args: chromium.args,
    },
  },
});
