import { defineConfig } from '@playwright/test';

// The tests drive the real release binary (built by `cargo leptos build --release`) on its own
// port with a fresh SQLite database, in Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const registryPort = Number(process.env.E2E_REGISTRY_PORT ?? 3390);
// cargo puts the binary (and hash.txt beside it) under CARGO_TARGET_DIR when that is set.
const targetDir = process.env.CARGO_TARGET_DIR ?? '../target';

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  // A journey with registry checks and argon2 sign-ins takes 20–30 s on CI's two cores while the
  // other worker runs one too; 30 s failed there on timing alone.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Chromium's background services cannot reach the network here and only add noise.
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    {
      name: 'phone',
      use: { viewport: { width: 360, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    },
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
  ],
  webServer: [
  {
    // The registries (ЕГР ЗАГС, СФР, МВД) over HTTP, answering in about a second so the pages
    // show «Проверка данных» before the result.
    command: `"${targetDir}/release/registry-sim" serve --addr 127.0.0.1:${registryPort} --data ../registry-sim/data/people.json --latency-ms 1200 --jitter-ms 300`,
    url: `http://127.0.0.1:${registryPort}/healthz`,
    reuseExistingServer: false,
    // A journey with registry checks and argon2 sign-ins takes 20–30 s on CI's two cores while the
  // other worker runs one too; 30 s failed there on timing alone.
  timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  {
    command: `rm -rf .e2e-data && "${targetDir}/release/server"`,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: 'sqlite://.e2e-data/portal.db',
      // Uploaded files go with the database, so each run starts without them.
      DOCUMENTS_DIR: '.e2e-data/documents',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: '../target/site-release',
      LEPTOS_OUTPUT_NAME: 'portal',
      LEPTOS_HASH_FILES: 'true',
      LEPTOS_ENV: 'PROD',
      // Codes and links are read from the development mailbox, as a developer would.
      DEV_MAILBOX: 'true',
      // Production mode refuses the mailbox without this (and always with an https PUBLIC_URL);
      // the server logs a warning that it runs for tests only.
      MAILBOX_IN_PRODUCTION_MODE_FOR_TESTS: 'true',
      PUBLIC_URL: baseURL,
      // Every test user comes from 127.0.0.1; the per-address ceiling is tested in server/tests.
      SENSITIVE_POSTS_PER_HOUR: '100000',
      REGISTRY_URL: `http://127.0.0.1:${registryPort}`,
      // A TEST key only (the base64 of 32 bytes of 0x42): production mode refuses to start
      // without a TOTP_KEY to seal authenticator secrets with.
      TOTP_KEY: 'QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=',
      // A TEST seed only (32 bytes of 0x43): production mode refuses to start without a key
      // to sign receipts with.
      RECEIPT_SIGNING_KEY: 'Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=',
      // A TEST key only (32 bytes of 0x44): production mode refuses to start without a VAPID
      // key to sign pushes with.
      VAPID_PRIVATE_KEY: 'REREREREREREREREREREREREREREREREREREREREREQ',
    },
  },
  ],
});
