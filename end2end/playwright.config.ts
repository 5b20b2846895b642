import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A real Quire with a fresh SQLite database in a temporary folder, on its own port so a
// `make run` instance on :3000 does not interfere.
const port = Number(process.env.QUIRE_E2E_PORT ?? 3100);
const dataDir = mkdtempSync(join(tmpdir(), "quire-e2e-"));
const binary = process.env.QUIRE_E2E_BINARY ?? "./target/debug/quire";

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
  webServer: {
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
    },
  },
});
