import { expect, test, type Page } from "@playwright/test";

function freshEmail(): string {
  return `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
}

const password = "a long enough passphrase";

/** Fails the test on any console error or uncaught exception (a broken hydration shows here). */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  return errors;
}

/** The Show/Hide toggle only works once the WASM has hydrated the page. */
async function waitForHydration(page: Page) {
  const toggle = page.getByRole("button", { name: "Show" });
  await expect(async () => {
    await toggle.click();
    await expect(page.getByRole("button", { name: "Hide" })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await page.getByRole("button", { name: "Hide" }).click();
}

test("a visitor signs up, lands on the dashboard, signs out and signs in again", async ({ page }) => {
  const errors = watchConsole(page);
  const email = freshEmail();

  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();
  await waitForHydration(page);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.getByRole("heading", { name: "Datasets" })).toBeVisible();
  await expect(page.getByTestId("current-user")).toHaveText(email);
  await page.screenshot({ path: "test-results/datasets.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByTestId("current-user")).toHaveCount(0);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.getByTestId("current-user")).toHaveText(email);

  expect(errors).toEqual([]);
});

test("the password toggle shows what was typed", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto("/signin");
  const field = page.getByLabel("Password", { exact: true });
  await field.fill("hunter2hunter2");
  await expect(field).toHaveAttribute("type", "password");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(field).toHaveAttribute("type", "text");
  await expect(field).toHaveValue("hunter2hunter2");
  await page.screenshot({ path: "test-results/signin.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("a wrong password is answered on the page", async ({ page }) => {
  await page.goto("/signin");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(freshEmail());
  await page.getByLabel("Password", { exact: true }).fill("not the right one");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("wrong email or password");
  await expect(page).toHaveURL(/\/signin$/);
});

test("a signed-in user creates an API token, sees it once, and revokes it", async ({ page, request }) => {
  const errors = watchConsole(page);
  await page.goto("/signup");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(freshEmail());
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/datasets$/);

  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  await expect(page.getByText("No tokens yet.")).toBeVisible();
  await page.getByLabel("Token name").fill("nightly upload");
  await page.getByRole("button", { name: "Create token" }).click();

  const secret = (await page.locator("#new-token code").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^qk_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("cell", { name: "nightly upload" })).toBeVisible();
  await page.screenshot({ path: "test-results/tokens.png", fullPage: true });

  // The token works from a script…
  const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);

  // …until it is revoked.
  await page.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText("No tokens yet.")).toBeVisible();
  const after = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);

  expect(errors).toEqual([]);
});
