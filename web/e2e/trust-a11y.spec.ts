/**
 * Trust and finish on every screen, against the real backend: a non-converged model (2 chains x
 * 30 draws) and an approximate (quick) model are made through the API; the non-converged one is
 * marked on every screen that shows its numbers, the quick one never becomes the default and is
 * labelled; arrows only where the change's interval excludes zero; no "-$0.00"; R-hat digits; a
 * key link in an open tab; the phone layout (390x844); and axe-core on every screen with no
 * serious or critical violation. Screenshots at 1440x900 and 390x844 go to the output dir.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eEnv } from "./env";
import { ensureModels, getJson, type E2EModels } from "./models";

test.describe.configure({ mode: "serial" });

const env = e2eEnv();
let page: Page;
let models: E2EModels;

const MODEL_SCREENS = ["overview", "allocation", "optimizer", "timeline", "effects"] as const;
const ALL_SCREENS = ["data", "models", ...MODEL_SCREENS, "attribution"] as const;

async function open(screen: string): Promise<void> {
  await page.goto(`${env.url}/#/${screen}`);
  await expect(page.getByRole("navigation", { name: "Screens" })).toBeVisible();
  await expect(page.locator(".spinner")).toHaveCount(0, { timeout: 60_000 });
}

async function snap(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(500);
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test.beforeAll(async ({ browser, request }) => {
  test.setTimeout(15 * 60_000);
  models = await ensureModels(request, env);
  // axe-core needs a page of a context made with browser.newContext().
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  page.on("pageerror", (e) => console.log("pageerror:", e.message));
  await page.goto(`${env.url}/#key=${env.key}`);
  await expect(page.getByRole("navigation", { name: "Screens" })).toBeVisible();
});

test.afterAll(async () => {
  await page.close();
});

test("the newest full fit is the default, the quick fit is labelled, not the default", async () => {
  await open("overview");
  const picker = page.getByLabel("Model shown on the dashboard");
  // "E2E quick" is the newest fit, but approximate: the default is the newest full fit.
  await expect(picker).toHaveValue(models.tiny);
  await expect(picker.locator(`option[value="${models.quick}"]`)).toContainText("approximate (quick)");
  await expect(picker.locator(`option[value="${models.tiny}"]`)).not.toContainText("approximate");
});

test("a model that did not converge is marked on every screen that shows its numbers", async ({ request }) => {
  const s = await getJson<{ diagnostics: { converged: boolean | null; rhat_max: number | null } }>(request, env, `/models/${models.tiny}/summary`);
  expect(s.diagnostics.converged, "2 chains x 30 draws should not converge").toBe(false);
  for (const screen of MODEL_SCREENS) {
    await open(screen);
    const banner = page.getByTestId("model-trust-banner");
    await expect(banner, screen).toBeVisible();
    await expect(banner).toHaveAttribute("data-trust", "not-converged");
    await snap(`trust-${screen}-not-converged-1440`);
  }
  // The Models table writes R-hat with the digits that decide the 1.01 threshold.
  await open("models");
  await page.getByRole("button", { name: "E2E tiny" }).click();
  const rhat = page.getByText("Largest R-hat").locator("xpath=following-sibling::*[1]");
  await expect(rhat).toHaveText(/^\d\.\d{3,4}$/);
});

test("an approximate (quick) model is labelled on every screen when picked", async () => {
  await open("overview");
  await page.getByLabel("Model shown on the dashboard").selectOption(models.quick);
  for (const screen of MODEL_SCREENS) {
    await open(screen);
    await expect(page.getByTestId("model-trust-banner"), screen).toContainText(/approximate|quick/i);
  }
  await page.getByLabel("Model shown on the dashboard").selectOption(models.tiny);
});

test("arrows and green/red only where the change's interval excludes zero; no -$0.00", async () => {
  await open("allocation");
  await expect(page.getByTestId("metric-cards")).toBeVisible({ timeout: 60_000 });
  const slider = page.getByRole("slider").first();
  await slider.focus();
  for (let i = 0; i < 6; i++) await slider.press("ArrowRight");
  // Wait for the answer to this move: the plan's spend has changed (an exact change: judged).
  await expect(page.getByTestId("metric-Spend").locator("[data-tone]")).not.toHaveAttribute("data-tone", "neutral", { timeout: 30_000 });
  await expect(page.getByTestId("roundtrip")).toContainText("updated in", { timeout: 30_000 });
  const cards = page.getByTestId("metric-cards").locator(".metric");
  const n = await cards.count();
  expect(n).toBeGreaterThan(3);
  let judged = 0;
  for (let i = 0; i < n; i++) {
    const card = cards.nth(i);
    const tone = await card.locator("[data-tone]").first().getAttribute("data-tone", { timeout: 5000 });
    const change = (await card.locator(".metric-interval", { hasText: "change:" }).allTextContents()).join(" ");
    const m = /interval ([−+±])\S* to ([−+±])/.exec(change);
    if (tone === "good" || tone === "bad") {
      judged++;
      // A judged change must have an interval on one side of zero (or be exact spend).
      if (m) expect(m[1] === m[2] && m[1] !== "±", `${change} judged ${tone}`).toBe(true);
    }
    if (m && m[1] !== m[2]) expect(tone, change).toBe("uncertain");
  }
  console.log(`metric cards: ${n}, judged changes: ${judged}`);
  for (const screen of MODEL_SCREENS) {
    await open(screen);
    await expect(page.locator("body")).not.toContainText(/[-−]\$0\.00\b/);
  }
});

test("a key link opened in an open tab signs in and leaves the address bar", async () => {
  await open("overview");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to mixwise" })).toBeVisible();
  await page.evaluate((key) => {
    window.location.hash = `#key=${key}`;
  }, env.key);
  await expect(page.getByRole("navigation", { name: "Screens" })).toBeVisible();
  await expect.poll(() => page.url()).not.toContain("key=");
});

test("phone (390x844): no screen wider than the viewport, current screen in view, results under the sliders", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const screen of ALL_SCREENS) {
    await open(screen);
    await page.waitForTimeout(400);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${screen} is ${width}px wide`).toBeLessThanOrEqual(390);
    const active = page.locator(".nav a.active");
    await expect(active).toHaveAttribute("aria-current", "page");
    const box = await active.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390, `${screen}: the current screen is visible in the navigation`).toBe(true);
    await snap(`phone-${screen}-390`);
  }
  await open("allocation");
  await expect(page.getByTestId("metric-cards")).toBeVisible({ timeout: 60_000 });
  const sliders = await page.getByRole("region", { name: "Budget split" }).boundingBox();
  const results = await page.getByTestId("metric-cards").boundingBox();
  const plan = await page.getByRole("region", { name: "Plan" }).boundingBox();
  expect(sliders && results && plan).toBeTruthy();
  expect(results!.y).toBeGreaterThan(sliders!.y);
  expect(results!.y, "the results come before the plan settings").toBeLessThan(plan!.y);
  await page.setViewportSize({ width: 1440, height: 900 });
});

test("axe-core: no serious or critical accessibility violation on any screen", async () => {
  const found: string[] = [];
  for (const screen of ALL_SCREENS) {
    await open(screen);
    await page.waitForTimeout(500);
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    for (const v of result.violations) {
      if (v.impact === "serious" || v.impact === "critical") found.push(`${screen}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
    }
    await snap(`a11y-${screen}-1440`);
  }
  expect(found, found.join("\n")).toEqual([]);
});
