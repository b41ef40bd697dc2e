/**
 * The main flow against a real backend: connect -> upload -> review mapping -> fit (small draws)
 * -> overview -> move a slider -> metrics change -> push the total past 100% -> warning ->
 * recommended allocation -> save scenario -> compare; a screenshot of every screen.
 */
import { expect, test, type Page } from "@playwright/test";
import { e2eEnv, shoot } from "./env";

test.describe.configure({ mode: "serial" });

let page: Page;
const env = e2eEnv();

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on("pageerror", (e) => console.log("pageerror:", e.message));
});

test.afterAll(async () => {
  await page.close();
});

const currentValue = (title: string) => page.getByTestId(`metric-${title}`).getByTestId("metric-current");

test("connect with an API key", async () => {
  await page.goto(env.url);
  // Not signed in: the sign-in page; a wrong password is refused without saying which part.
  await expect(page.getByRole("heading", { name: "Sign in to mixwise" })).toBeVisible();
  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("not right");
  await page.getByRole("button", { name: "Use an API key" }).click();
  await expect(page.getByRole("heading", { name: "Connect to mixwise" })).toBeVisible();
  await page.getByLabel("API key").fill("mw_not_a_key");
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByRole("alert")).toContainText("not valid");
  await shoot(page, "00-connect");
  await page.getByLabel("API key").fill(env.key);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByRole("navigation", { name: "Screens" })).toBeVisible();
});

test("empty workspace: screens say what is missing", async () => {
  await page.goto(`${env.url}/#/overview`);
  await expect(page.getByTestId("empty-state")).toContainText("No fitted model yet");
  await shoot(page, "01-overview-empty");
});

test("Data: upload, review the mapping, findings and EDA", async () => {
  await page.goto(`${env.url}/#/data`);
  await page.getByLabel("Upload a data file").setInputFiles(env.data);
  await expect(page.getByRole("table", { name: "First rows" })).toBeVisible({ timeout: 60_000 });
  // The proposed mapping: five channels from the spend columns.
  await expect(page.getByRole("table", { name: "Channels" }).getByRole("row")).toHaveCount(6);
  await expect(page.getByLabel("Date column")).toHaveValue("date");
  // Edit the proposal: give the channels the names a marketer uses.
  const nice: Record<string, string> = { "social media": "Social Media", tv: "TV", print: "Print", "paid search": "Paid Search", ooh: "OOH" };
  for (let i = 1; i <= 5; i++) {
    const input = page.getByLabel(`Channel ${i} name`);
    const proposed = (await input.inputValue()).trim();
    await input.fill(nice[proposed.toLowerCase()] ?? proposed);
  }
  await page.getByRole("button", { name: "Save mapping" }).click();
  await expect(page.getByText("Mapping saved")).toBeVisible();
  // The server has the edited names.
  const datasets = await (await page.request.get(`${env.url}/api/v1/datasets`, { headers: { Authorization: `Bearer ${env.key}` } })).json();
  const saved = await (await page.request.get(`${env.url}/api/v1/datasets/${datasets.items[0].id}/mapping`, { headers: { Authorization: `Bearer ${env.key}` } })).json();
  expect(saved.current.mapping.channels.map((c: { name: string }) => c.name)).toEqual(["Social Media", "TV", "Print", "Paid Search", "OOH"]);
  await expect(page.getByText("ready to fit")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("eda-spend-kpi")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("table", { name: "Channel summary" })).toContainText("TV", { timeout: 60_000 });
  // The dataset exports to another tool as a zip (data + a script that fits it there).
  const [exported] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.getByRole("button", { name: "Robyn (R)" }).click()]);
  expect(exported.suggestedFilename()).toMatch(/-robyn\.zip$/);
  await shoot(page, "02-data");
});

test("Models: start a small fit, follow it, read the verdict", async () => {
  await page.getByRole("link", { name: "Next: fit a model →" }).click();
  await expect(page.getByRole("heading", { name: "Models", exact: true })).toBeVisible();
  const form = page.getByRole("form", { name: "Start a fit" });
  await form.getByLabel("Name (optional)").fill("E2E small fit");
  await form.getByLabel("Chains").fill("2");
  await form.getByLabel("Draws per chain").fill(process.env.MIXWISE_E2E_DRAWS ?? "100");
  await form.getByLabel("Tuning steps").fill(process.env.MIXWISE_E2E_TUNE ?? "100");
  await form.getByRole("button", { name: "Start fit" }).click();
  await expect(page.getByTestId("fit-progress")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Fit progress" })).toBeVisible();
  await shoot(page, "03-models-progress");
  // While it runs, the model screens say a fit is under way.
  await page.goto(`${env.url}/#/allocation`);
  await expect(page.getByTestId("empty-state")).toContainText(/being fitted|No fitted model/);
  await shoot(page, "04-allocation-while-fitting");
  await page.goto(`${env.url}/#/models`);
  await expect(page.getByTestId("verdict")).toBeVisible({ timeout: 12 * 60_000 });
  await expect(page.getByTestId("fit-chart")).toBeVisible();
  await shoot(page, "05-models-fitted");
  // The report downloads as a file.
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 120_000 }), page.getByRole("button", { name: "Report (HTML)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.html$/);
});

test("Media Channels Overview: metrics, value table, Sankey, recommendations", async () => {
  await page.goto(`${env.url}/#/overview`);
  await expect(page.getByRole("heading", { name: "Media Channels Overview" })).toBeVisible();
  // the model reviewer's verdict marks the model in the top bar and in the screen's header
  const badges = page.getByTestId("review-badge");
  await expect(badges).toHaveCount(2);
  await expect(badges.first()).toHaveAttribute("data-verdict", /^(pass|warn|fail)$/);
  await expect(page.getByTestId("overview-bars")).toBeVisible();
  await expect(page.getByTestId("value-table")).toContainText("of revenue");
  await expect(page.getByTestId("overview-sankey")).toBeVisible();
  await expect(page.getByTestId("recommended-actions")).not.toContainText("Working out", { timeout: 60_000 });
  await shoot(page, "06-overview");
  await page.getByTestId("metric-select").selectOption("roas");
  await expect(page.getByTestId("value-table")).toContainText("ROAS");
  await shoot(page, "07-overview-roas");
});

test("Channel Budget Allocation: sliders, live metrics, >100% warning, optimizer, save", async () => {
  await page.goto(`${env.url}/#/allocation`);
  await expect(page.getByTestId("metric-cards")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("roundtrip")).toContainText("updated in");
  const kpi = currentValue("Incremental revenue");
  const before = await kpi.textContent();
  await shoot(page, "08-allocation");

  // Move the TV slider with the keyboard: the metrics follow.
  const tv = page.getByRole("slider", { name: "TV" });
  await tv.focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press("ArrowRight");
  await expect(kpi).not.toHaveText(before ?? "", { timeout: 10_000 });
  await expect(page.getByTestId("roundtrip")).toContainText("updated in");
  await shoot(page, "09-allocation-moved");

  // Drag the OOH slider with the mouse: the value and the metrics follow while dragging.
  const ooh = page.getByRole("slider", { name: "OOH" });
  const box = (await ooh.boundingBox())!;
  const before2 = await kpi.textContent();
  const oohBefore = Number(await ooh.inputValue());
  await page.mouse.move(box.x + box.width * (oohBefore / 100), box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    await page.mouse.move(box.x + box.width * (oohBefore / 100) + i * 12, box.y + box.height / 2);
    await page.waitForTimeout(40);
  }
  await page.mouse.up();
  expect(Number(await ooh.inputValue())).toBeGreaterThan(oohBefore);
  await expect(kpi).not.toHaveText(before2 ?? "", { timeout: 10_000 });

  // Push the total past 100%: the red warning.
  await page.getByRole("slider", { name: "Social media" }).focus();
  await page.keyboard.press("End");
  await expect(page.getByTestId("over-budget-warning")).toBeVisible();
  await expect(page.getByTestId("allocation-total")).toContainText(/[1-9]\d\d\.\d%/);
  await shoot(page, "10-allocation-over-100");

  // Measure the slider round trip: many keyboard steps, each answered by the API.
  await page.evaluate(() => ((globalThis as { __mixwiseShareTimings?: number[] }).__mixwiseShareTimings ?? []).splice(0));
  const print = page.getByRole("slider", { name: "Print" });
  await print.focus();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("ArrowRight");
    await page.waitForTimeout(160);
  }
  await expect(page.getByTestId("roundtrip")).toContainText("updated in");
  const timings = await page.evaluate(() => [...((globalThis as { __mixwiseShareTimings?: number[] }).__mixwiseShareTimings ?? [])]);
  timings.sort((a, b) => a - b);
  const p50 = timings[Math.floor(timings.length / 2)];
  const p95 = timings[Math.min(timings.length - 1, Math.floor(timings.length * 0.95))];
  console.log(`slider round trip over ${timings.length} evaluations: p50 ${p50?.toFixed(0)} ms, p95 ${p95?.toFixed(0)} ms, max ${timings.at(-1)?.toFixed(0)} ms`);
  expect(timings.length).toBeGreaterThan(3);
  expect(p50).toBeLessThan(150);

  // What the user sees: key press -> the card shows the new value (debounce + round trip +
  // render), timed in the page: keydown starts the clock, the card's text change stops it.
  await page.evaluate(() => {
    const w = window as unknown as { __t0: number | null; __seen: number[] };
    w.__seen = [];
    w.__t0 = null;
    document.addEventListener("keydown", () => (w.__t0 = performance.now()), true);
    const el = document.querySelector('[data-testid="metric-Incremental revenue"] [data-testid="metric-current"]')!;
    new MutationObserver(() => {
      if (w.__t0 != null) {
        w.__seen.push(performance.now() - w.__t0);
        w.__t0 = null;
      }
    }).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await page.getByRole("slider", { name: "Social media" }).focus();
  for (let i = 0; i < 6; i++) {
    const old = await kpi.textContent();
    await page.keyboard.press("PageDown");
    await expect(kpi).not.toHaveText(old ?? "", { timeout: 5000 });
    await page.waitForTimeout(150);
  }
  const seen = (await page.evaluate(() => (window as unknown as { __seen: number[] }).__seen)).sort((a, b) => a - b);
  console.log(`slider to updated card (50 ms debounce included): median ${seen[Math.floor(seen.length / 2)]?.toFixed(0)} ms, max ${seen.at(-1)?.toFixed(0)} ms over ${seen.length} moves`);

  // Recommended Allocation runs the optimizer and brings the total back to 100%.
  await page.getByTestId("recommended-allocation").click();
  await expect(page.getByText(/Recommended Allocation: the optimizer's split/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("over-budget-warning")).toHaveCount(0);
  await expect(page.getByTestId("allocation-total")).toContainText("100.0%");
  await shoot(page, "11-allocation-recommended");

  await page.getByLabel("Scenario name").fill("Recommended split");
  await page.getByTestId("save-scenario").click();
  await expect(page.getByTestId("scenario-saved")).toContainText("Recommended split");
  await page.getByRole("button", { name: "Reset to original" }).click();
  await page.getByLabel("Scenario name").fill("Original split");
  await page.getByTestId("save-scenario").click();
  await expect(page.getByTestId("scenario-saved")).toContainText("Original split");
  await shoot(page, "12-allocation-saved");
});

test("Response curves, optimizer, frontier and scenario comparison", async () => {
  await page.goto(`${env.url}/#/optimizer`);
  await expect(page.getByTestId("response-curve").first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("frontier")).toBeVisible({ timeout: 120_000 });
  await page.getByLabel("Lock OOH").check();
  await page.getByRole("button", { name: "Run optimizer" }).click();
  await expect(page.getByTestId("optimizer-result")).toBeVisible({ timeout: 60_000 });
  await page.getByLabel("Compare Original split").check();
  await page.getByLabel("Compare Recommended split").check();
  await expect(page.getByTestId("scenario-compare")).toBeVisible({ timeout: 60_000 });
  await shoot(page, "13-optimizer");
});

test("Take Action opens the recommendation in the allocation screen", async () => {
  await page.goto(`${env.url}/#/overview`);
  const actions = page.getByRole("button", { name: "Take Action" });
  if ((await actions.count()) === 0) {
    test.info().annotations.push({ type: "note", description: "the model made no actionable recommendation" });
    return;
  }
  await actions.first().click();
  await expect(page.getByRole("heading", { name: "Channel Budget Allocation" })).toBeVisible();
  await expect(page.getByText(/From the recommendation:/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("metric-cards")).toBeVisible();
  await shoot(page, "14-allocation-take-action");
});

test("Attribution Model Comparison and Creative Launch Timeline", async () => {
  await page.goto(`${env.url}/#/attribution`);
  await expect(page.getByTestId("attribution-bars")).toBeVisible({ timeout: 60_000 });
  // A small journeys file (aggregated paths) named with the MMM's channels.
  const paths = [
    "path,conversions,null",
    "Social Media > Paid Search,400,4000",
    "Paid Search,300,3000",
    "Social Media,40,2500",
    "Print > Paid Search,120,1500",
    "Print > Social Media,30,900",
  ].join("\n");
  await page.getByLabel("Upload a data file").setInputFiles({ name: "journeys.csv", mimeType: "text/csv", buffer: Buffer.from(paths) });
  const credit = page.getByRole("table", { name: "Credit table" });
  await expect(credit).toContainText("Last touch", { timeout: 120_000 });
  await expect(credit).toContainText("Bayesian (PyMC-Marketing)");
  await expect(credit).toContainText("not trackable"); // TV and OOH have no touchpoints
  await expect(page.getByTestId("attribution-recommendation")).toContainText(/lift test|agree/);
  await expect(page.getByText("not causal effects")).toBeVisible();
  await page.getByRole("slider", { name: "Last touch" }).focus();
  await page.keyboard.press("PageUp");
  await expect(page.getByRole("radio", { name: "Custom blend" })).toBeVisible();
  await shoot(page, "15-attribution");
  await page.goto(`${env.url}/#/timeline`);
  await expect(page.getByTestId("timeline-chart")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("table", { name: "Flights" })).toContainText("TV");
  await shoot(page, "16-timeline");
});

test("narrow screens: the layout reflows", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${env.url}/#/allocation`);
  await expect(page.getByTestId("metric-cards")).toBeVisible({ timeout: 60_000 });
  await shoot(page, "17-allocation-mobile");
  await page.goto(`${env.url}/#/overview`);
  await expect(page.getByTestId("overview-bars")).toBeVisible();
  await shoot(page, "18-overview-mobile");
  await page.setViewportSize({ width: 1440, height: 900 });
});

test("Model Comparison: a second engine, then both side by side", async () => {
  await page.goto(`${env.url}/#/models`);
  const form = page.getByRole("form", { name: "Start a fit" });
  await form.getByRole("combobox", { name: "Engine" }).selectOption("ridge");
  await form.getByLabel("Name (optional)").fill("E2E ridge fit");
  await form.getByRole("spinbutton", { name: "Trials" }).fill("1");
  await form.getByRole("spinbutton", { name: "Iterations per trial" }).fill("100");
  await form.getByRole("button", { name: "Start fit" }).click();
  const row = page.getByRole("table", { name: "Fits" }).getByRole("row", { name: /E2E ridge fit/ });
  await expect(row.getByTestId("fit-status")).toHaveText("succeeded", { timeout: 5 * 60_000 });
  await page.getByRole("link", { name: "Model Comparison", exact: true }).click();
  const table = page.getByRole("table", { name: "Channels compared" });
  await expect(table).toBeVisible({ timeout: 120_000 });
  await expect(table.getByRole("row")).toHaveCount(6); // header + five channels
  const card = page.getByTestId("comparison-channels");
  await expect(card).toContainText("Ridge (Robyn's method): 90% bootstrap interval");
  await expect(card).toContainText("Bayesian (PyMC-Marketing): 90% credible interval");
  await expect(page.getByRole("table", { name: "Fit compared" })).toContainText("E2E ridge fit");
  await shoot(page, "19-model-comparison");
});
