import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A real Quire with a fresh SQLite database in a temporary folder, on its own port so a
// `make run` instance on :3000 does not interfere.
const port = Number(process.env.QUIRE_E2E_PORT ?? 3100);
const dataDir = mkdtempSync(join(tmpdir(), "quire-e2e-"));
const binary = process.env.QUIRE_E2E_BINARY ?? "./target/debug/quire";
// A real OpenID provider (oidc/provider.mjs) that Quire offers as "Sign in with Test ID".
const oidcPort = Number(process.env.QUIRE_E2E_OIDC_PORT ?? 3190);
const oidcIssuer = `http://127.0.0.1:${oidcPort}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: "list",
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      command: "node oidc/provider.mjs",
      url: `${oidcIssuer}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        OIDC_PORT: String(oidcPort),
        OIDC_REDIRECT: `http://127.0.0.1:${port}/auth/oidc/callback`,
      },
    },
    {
      command: `${binary} serve`,
      cwd: "..",
      url: `http://127.0.0.1:${port}/health/ready`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        QUIRE_ADDR: `127.0.0.1:${port}`,
        QUIRE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        QUIRE_DATA_DIR: dataDir,
        QUIRE_DATABASE_URL: "",
        QUIRE_SITE_ROOT: "target/site",
        QUIRE_LOG: "warn",
        QUIRE_OAUTH_OIDC_ISSUER: oidcIssuer,
        QUIRE_OAUTH_OIDC_CLIENT_ID: "quire-e2e",
        QUIRE_OAUTH_OIDC_CLIENT_SECRET: "quire-e2e-secret",
        QUIRE_OAUTH_OIDC_DISPLAY_NAME: "Test ID",
        // The test provider speaks plain http on this machine; real providers must use https.
        QUIRE_OAUTH_OIDC_ALLOW_HTTP: "true",
      },
    },
  ],
});
