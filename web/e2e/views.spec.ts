/**
 * The views analysts asked for, against the real backend: Channel Effects (decomposition over
 * time with a date range, carry-over with half-lives, share of spend vs share of effect, estimate
 * vs truth on the generator's demo data), chart exports (PNG, formula-neutralised CSV), the
 * fixed-total slider mode, the optimizer's per-channel results within the default ±30% limits,
 * and recommendation text without bare numbers.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { e2eEnv } from "./env";
import { ensureModels, getJson, type E2EModels } from "./models";

test.describe.configure({ mode: "serial" });

const env = e2eEnv();
let page: Page;
let models: E2EModels;

test.beforeAll(async ({ browser, request }) => {
  test.setTimeout(15 * 60_000);
  models = await ensureModels(request, env);
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on("pageerror", (e) => console.log("pageerror:", e.message));
  await page.goto(`${env.url}/#key=${env.key}`);
  await expect(page.getByRole("navigation", { name: "Screens" })).toBeVisible();
});

test.afterAll(async () => {
  await page.close();
});

async function snap(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(500);
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test("Channel Effects: decomposition over time with a date range, exported as PNG and CSV", async ({ request }) => {
  await page.goto(`${env.url}/#/effects`);
  await expect(page.getByRole("heading", { name: "Channel Effects" })).toBeVisible();
  const card = page.getByTestId("decomposition-card");
  await expect(card.getByTestId("decomposition-chart")).toBeVisible({ timeout: 60_000 });
  const dec = await getJson<{ dates: string[]; items: { name: string }[] }>(request, env, `/models/${models.tiny}/decomposition`);
  const whole = await card.getByTestId("decomposition-window").textContent();
  // Narrow the window to one quarter of the data: the sums change.
  const from = dec.dates[Math.floor(dec.dates.length / 2)];
  const to = dec.dates[Math.floor(dec.dates.length / 2) + 12];
  await card.getByTestId("range-from").fill(from);
  await card.getByTestId("range-to").fill(to);
  await expect(card.getByTestId("decomposition-window")).not.toHaveText(whole ?? "");
  const [csv] = await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: /as CSV/ }).click()]);
  const text = readFileSync(await csv.path(), "utf8");
  const lines = text.trim().split(/\r\n/);
  expect(lines[0].split(",")).toEqual(["date", ...dec.items.map((i) => i.name)]);
  expect(lines.length - 1).toBe(13); // the 13 periods of the window
  expect(lines[1].startsWith(from)).toBe(true);
  const [png] = await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: /as PNG/ }).click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const bytes = readFileSync(await png.path());
  expect(bytes.subarray(1, 4).toString()).toBe("PNG");
  await snap("effects-1440");
});

test("Overview: a date range gives the window's figures from /decomposition, and Whole period restores them", async ({ request }) => {
  await page.goto(`${env.url}/#/overview`);
  await expect(page.getByRole("heading", { name: /Media Channels Overview/ })).toBeVisible();
  const table = page.getByTestId("value-table");
  await expect(table).toBeVisible({ timeout: 60_000 });
  const whole = await table.textContent();
  const dec = await getJson<{ dates: string[] }>(request, env, `/models/${models.tiny}/decomposition`);
  const from = dec.dates[4];
  const to = dec.dates[16];
  const range = page.getByRole("group", { name: "Dates shown" });
  await range.getByTestId("range-from").fill(from);
  await range.getByTestId("range-to").fill(to);
  // The window's figures: 13 periods, named in the card, and a different table from the whole period.
  await expect(page.getByText(/\(13 weeks\)/).first()).toBeVisible({ timeout: 30_000 });
  await expect(table).not.toHaveText(whole ?? "");
  await range.getByRole("button", { name: "Whole period" }).click();
  await expect(table).toHaveText(whole ?? "");
  await snap("overview-window-1440");
});

test("Channel Effects: carry-over, share of spend vs effect, estimate vs truth", async ({ request }) => {
  await page.goto(`${env.url}/#/effects`);
  const ad = await getJson<{ channels: { channel: string; half_life: { mean: number } }[] }>(request, env, `/models/${models.tiny}/adstock`);
  const table = page.getByTestId("halflife-table");
  await expect(table.getByRole("row")).toHaveCount(ad.channels.length + 1, { timeout: 60_000 });
  await expect(table).toContainText(/weeks/);
  await expect(page.getByTestId("carryover-chart")).toBeVisible();
  await expect(page.getByTestId("spend-effect-chart")).toBeVisible();
  // The e2e data is the generator's demo data: its truth is known and shown.
  const truth = await getJson<{ known: boolean; channels: { channel: string; true_roas: number }[] }>(request, env, `/models/${models.tiny}/truth`);
  expect(truth.known).toBe(true);
  const rows = page.getByTestId("truth-table").getByRole("row");
  await expect(rows).toHaveCount(truth.channels.length + 1);
  const search = truth.channels.find((c) => Math.abs(c.true_roas - 4) < 1e-9);
  expect(search, "the demo preset's Paid Search has a true ROAS of 4").toBeTruthy();
  await expect(page.getByTestId("truth-table").getByRole("row", { name: new RegExp(search!.channel) })).toContainText("4.00x");
  await expect(page.getByTestId("truth-coverage")).toContainText(/inside the 90% credible interval for \d of 5 channels/);
});

test("Budget split: the fixed-total mode keeps the split at 100%", async () => {
  await page.goto(`${env.url}/#/allocation`);
  await expect(page.getByRole("region", { name: "Budget split" })).toBeVisible();
  await expect(page.getByTestId("metric-cards")).toBeVisible({ timeout: 60_000 });
  await page.getByTestId("fixed-total").click();
  const slider = page.getByRole("slider").first();
  await slider.focus();
  for (let i = 0; i < 10; i++) await slider.press("ArrowRight");
  await expect(page.getByTestId("allocation-total")).toContainText("100.0%");
  await expect(page.getByTestId("over-budget-warning")).toHaveCount(0);
  await expect(page.getByText(/the last 13 weeks of the data, up to/)).toBeVisible();
  await snap("allocation-fixed-total-1440");
});

test("Optimizer: per-channel results within the default ±30% change limits", async () => {
  await page.goto(`${env.url}/#/optimizer`);
  const form = page.getByTestId("optimizer");
  await expect(form.getByTestId("change-limit")).toHaveValue("30");
  const [req] = await Promise.all([page.waitForRequest((r) => r.url().endsWith("/optimize") && r.method() === "POST"), form.getByRole("button", { name: "Run optimizer" }).click()]);
  const body = req.postDataJSON() as { bounds: Record<string, { min: number; max: number }> };
  const resp = await (await req.response())!.json();
  for (const ch of resp.channels as { channel: string; current: number; optimal: number }[]) {
    const b = body.bounds[ch.channel];
    expect(b, ch.channel).toBeTruthy();
    expect(Math.abs(b.min / (ch.current * 0.7) - 1), `${ch.channel} min`).toBeLessThan(1e-3);
    expect(Math.abs(b.max / (ch.current * 1.3) - 1), `${ch.channel} max`).toBeLessThan(1e-3);
    expect(ch.optimal).toBeGreaterThanOrEqual(b.min * (1 - 1e-6));
    expect(ch.optimal).toBeLessThanOrEqual(b.max * (1 + 1e-6));
  }
  const result = page.getByTestId("optimizer-result");
  await expect(result.getByRole("table", { name: "Optimal allocation" })).toContainText("→");
  await expect(result.getByTestId("optimizer-spend-bars")).toBeVisible();
  await snap("optimizer-1440");
});

test("recommendation text: every amount with its currency, periods with their unit", async () => {
  await page.goto(`${env.url}/#/overview`);
  const recs = page.getByTestId("recommended-actions");
  await expect(recs).not.toContainText("Working out", { timeout: 60_000 });
  const text = (await recs.textContent()) ?? "";
  expect(text).not.toMatch(/(?<![$\d.,])\d{1,3}(,\d{3})+(?!\d)/); // no bare "12,345"
  expect(text).not.toMatch(/\bperiods\b/);
});
