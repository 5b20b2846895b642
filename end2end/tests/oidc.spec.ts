import { expect, test, type Page } from "@playwright/test";

// Sign-in through a real OpenID provider (oidc/provider.mjs, panva's oidc-provider) that
// playwright.config.ts starts next to Quire and configures as "Test ID".

/** Goes through the provider's own login form, and its consent screen when it asks. */
async function signInAtProvider(page: Page, login: string) {
  await expect(page.locator("input[name=login]")).toBeVisible();
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  const consent = page.getByRole("button", { name: "Continue" });
  if (await consent.isVisible({ timeout: 5_000 }).catch(() => false)) {
    await consent.click();
  }
}

async function currentUserId(page: Page): Promise<string> {
  const response = await page.request.get("/api/v1/me");
  expect(response.status()).toBe(200);
  return (await response.json()).data.id;
}

test("a visitor signs in with the OpenID provider, lands on the dashboard, and comes back as the same user", async ({
  page,
}) => {
  const login = `e2e-${Date.now()}`;
  const email = `${login}@example.org`;

  await page.goto("/signin");
  const button = page.getByRole("link", { name: "Sign in with Test ID" });
  await expect(button).toBeVisible();
  await page.screenshot({ path: "test-results/signin-with-provider.png", fullPage: true });
  await button.click();

  await signInAtProvider(page, login);
  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.getByRole("heading", { name: "Datasets" })).toBeVisible();
  await expect(page.getByTestId("current-user")).toHaveText(email);
  const firstId = await currentUserId(page);

  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
  await expect(page.getByTestId("identities")).toContainText("Test ID");
  await expect(page.getByTestId("identities")).toContainText(email);
  // Its only way in: no password, one provider account, so nothing to unlink.
  await expect(page.getByRole("button", { name: "Unlink" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/account.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByTestId("current-user")).toHaveCount(0);

  // Second time round the provider may remember the person and skip its form.
  await page.getByRole("link", { name: "Sign in with Test ID" }).click();
  const quirePort = String(process.env.QUIRE_E2E_PORT ?? 3100);
  await page.waitForURL((url) => url.pathname === "/datasets" || url.port !== quirePort);
  if (!page.url().endsWith("/datasets")) {
    await signInAtProvider(page, login);
  }
  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.getByTestId("current-user")).toHaveText(email);
  expect(await currentUserId(page)).toBe(firstId);
});

test("a cancelled provider sign-in shows a message on the sign-in page", async ({ page }) => {
  await page.goto("/signin?error=denied");
  await expect(page.getByRole("alert")).toContainText("cancelled at the provider");
});
