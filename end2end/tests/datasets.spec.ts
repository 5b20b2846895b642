import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const password = "a long enough passphrase";

function freshEmail(): string {
  return `e2e-data-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
}

/** Fails the test on any console error or uncaught exception (a broken hydration shows here). */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  return errors;
}

async function signUp(page: Page) {
  await page.goto("/signup");
  // The Show/Hide toggle only works once the WASM has hydrated the page.
  await expect(async () => {
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByRole("button", { name: "Hide" })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await page.getByLabel("Email").fill(freshEmail());
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/datasets$/);
}

/** A small weather table: a text column to group by, two numbers that correlate, and a date. */
function weatherCsv(dir: string): { path: string; meanTemperature: string } {
  const cities = ["Zurich", "Geneva", "Basel", "Bern"];
  const lines = ["city,temperature,rainfall,day"];
  let sum = 0;
  for (let i = 0; i < 40; i++) {
    const t = 10 + (i % 4);
    sum += t;
    const day = `2026-01-${String((i % 28) + 1).padStart(2, "0")}`;
    const rain = (20 - t + (i % 3) * 0.5).toFixed(1);
    lines.push(`${cities[i % cities.length]},${t},${rain},${day}`);
  }
  const path = join(dir, "weather.csv");
  writeFileSync(path, lines.join("\n") + "\n");
  return { path, meanTemperature: String(sum / 40) }; // 11.5
}

test("a person uploads a CSV, reads its profile, builds a report and downloads it", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const dir = mkdtempSync(join(tmpdir(), "quire-e2e-data-"));
  const { path: csv, meanTemperature } = weatherCsv(dir);

  await signUp(page);
  // The list loads in the browser: once it says "No datasets yet", the page is hydrated.
  await expect(page.getByText("No datasets yet.")).toBeVisible({ timeout: 15_000 });

  // Upload with the file picker; the upload, then the profiling job, show progress.
  await page.getByLabel("Choose a file").setInputFiles(csv);
  const upload = page.getByTestId("upload-status");
  await expect(upload).toBeVisible();
  await expect(upload.getByRole("progressbar")).toBeVisible();
  await expect(upload.getByText("Ready")).toBeVisible({ timeout: 30_000 });
  const row = page.getByTestId("datasets").getByRole("row", { name: /weather\.csv/ });
  await expect(row.getByText("Ready")).toBeVisible();
  await expect(row).toContainText("40 × 4");
  await page.screenshot({ path: "test-results/datasets-list.png", fullPage: true });

  // The dataset page: a card per column with its statistics, and the first rows.
  await upload.getByRole("link", { name: /Open weather\.csv/ }).click();
  await expect(page).toHaveURL(/\/datasets\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "weather.csv" })).toBeVisible();
  await expect(page.getByTestId("column-card")).toHaveCount(4);
  const temperature = page.getByTestId("column-card").filter({ hasText: "temperature" });
  await expect(temperature.getByRole("heading", { name: "temperature" })).toBeVisible();
  await expect(temperature).toContainText("Mean");
  await expect(temperature).toContainText(meanTemperature);
  await expect(temperature.getByRole("img", { name: /Histogram of temperature/ })).toBeVisible();
  await expect(page.getByTestId("column-card").filter({ hasText: "city" })).toContainText("Zurich");
  await expect(page.getByTestId("preview")).toContainText("Geneva");
  await expect(page.getByRole("table", { name: /Pearson correlation/ })).toBeVisible();
  await expect(page.getByTestId("no-reports")).toBeVisible();
  await page.screenshot({ path: "test-results/dataset-page.png", fullPage: true });

  // The report builder: the cover preview follows the form.
  await page.getByRole("link", { name: "Build a report" }).click();
  await expect(page.getByRole("heading", { name: "Report builder" })).toBeVisible();
  const title = `Alpine weather ${Date.now()}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Subtitle").fill("January, four cities");
  const cover = page.getByTestId("cover-preview");
  await expect(cover).toContainText(title);
  await expect(cover).toContainText("January, four cities");
  await expect(page.getByLabel("Group-by column")).toHaveValue("city");
  await expect(page.getByLabel("Time column")).toHaveValue("day");
  await page.screenshot({ path: "test-results/report-builder.png", fullPage: true });

  // Generate: the job's progress shows, then a download link.
  await page.getByRole("button", { name: "Generate report" }).click();
  const generation = page.getByTestId("generation");
  await expect(generation.getByRole("progressbar")).toBeVisible();
  const link = generation.getByRole("link", { name: "Download the PDF" });
  await expect(link).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("reports")).toContainText(title);
  await page.screenshot({ path: "test-results/report-generated.png", fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const pdf = join(dir, "report.pdf");
  await download.saveAs(pdf);
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"]).toString();
  expect(text).toContain(title);
  expect(text).toContain("temperature");

  expect(errors).toEqual([]);
});

// A 1×1 PNG, the smallest logo the renderer embeds.
const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

test("the builder previews a logo and landscape pages, and saves and applies templates", async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchConsole(page);
  const dir = mkdtempSync(join(tmpdir(), "quire-e2e-tpl-"));
  const { path: csv } = weatherCsv(dir);
  const logo = join(dir, "logo.png");
  writeFileSync(logo, PNG_1X1);

  await signUp(page);
  await expect(page.getByText("No datasets yet.")).toBeVisible({ timeout: 15_000 });
  await page.getByLabel("Choose a file").setInputFiles(csv);
  const upload = page.getByTestId("upload-status");
  await expect(upload.getByText("Ready")).toBeVisible({ timeout: 30_000 });
  const href = await upload.getByRole("link", { name: /Open/ }).getAttribute("href");
  await page.goto(`${href}/report`);
  await expect(page.getByRole("heading", { name: "Report builder" })).toBeVisible();

  // Logo and page shape show in the cover preview.
  const cover = page.getByTestId("cover-preview");
  await page.getByLabel("Choose an image").setInputFiles(logo);
  await expect(cover.getByRole("img", { name: "Logo" })).toBeVisible();
  await page.getByLabel("Orientation").selectOption("landscape");
  await expect(page.getByText("Cover preview · A4, landscape")).toBeVisible();
  const box = await cover.boundingBox();
  expect(box && box.width > box.height).toBeTruthy();
  // A file that is not an image is refused in the browser.
  const notImage = join(dir, "notes.png");
  writeFileSync(notImage, "not an image");
  await page.getByLabel("Replace logo").setInputFiles(notImage);
  await expect(page.getByRole("alert")).toContainText("PNG or JPEG");

  // Save the settings as a template, change them, then apply the template again.
  await page.getByLabel("Title", { exact: true }).fill("Monthly weather");
  await page.getByLabel("Save these settings as a template").fill("Monthly");
  await page.getByRole("button", { name: "Save template" }).click();
  await expect(page.getByText("Saved template “Monthly”.")).toBeVisible();
  await page.getByLabel("Title", { exact: true }).fill("Something else");
  await page.getByLabel("Orientation").selectOption("portrait");
  await page.getByLabel("Apply a saved template").selectOption({ label: "Monthly" });
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue("Monthly weather");
  await expect(page.getByLabel("Orientation")).toHaveValue("landscape");
  await expect(cover).toContainText("Monthly weather");
  await expect(cover.getByRole("img", { name: "Logo" })).toBeVisible();
  await page.screenshot({ path: "test-results/report-builder-template.png", fullPage: true });

  expect(errors).toEqual([]);
});

test("a file dropped on the upload zone is uploaded, and an unsupported one is refused in words", async ({ page }) => {
  test.setTimeout(60_000);
  await signUp(page);
  await expect(page.getByText("No datasets yet.")).toBeVisible({ timeout: 15_000 });

  const drop = async (name: string, type: string, body: string) => {
    const dataTransfer = await page.evaluateHandle(
      ([name, type, body]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([body], name, { type }));
        return dt;
      },
      [name, type, body],
    );
    await page.dispatchEvent(".dropzone", "dragover", { dataTransfer });
    await page.dispatchEvent(".dropzone", "drop", { dataTransfer });
  };

  const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: i, ok: i % 2 === 0 }));
  await drop("events.jsonl", "", lines.join("\n") + "\n");
  const upload = page.getByTestId("upload-status");
  await expect(upload.getByText("Ready")).toBeVisible({ timeout: 30_000 });
  const row = page.getByTestId("datasets").getByRole("row", { name: /events\.jsonl/ });
  await expect(row).toContainText("JSONL");
  await expect(row).toContainText("12 × 2");

  await drop("scan.pdf", "application/pdf", "%PDF-1.4 not really");
  await expect(upload.getByRole("alert")).toContainText("unsupported content type");
});
