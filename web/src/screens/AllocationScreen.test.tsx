import { describe, expect, it, vi, beforeAll } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { createMockApi } from "../test/mockApi";

const mock = vi.hoisted(() => {
  // Installed before the client module captures fetch.
  const m = { impl: null as null | ((i: RequestInfo | URL, init?: RequestInit) => Promise<Response>) };
  globalThis.fetch = ((i: RequestInfo | URL, init?: RequestInit) => m.impl!(i, init)) as typeof fetch;
  return m;
});

import { AllocationScreen } from "./AllocationScreen";
import { SessionProvider } from "../lib/session";
import { setApiKey } from "../api/client";

const iv = (mean: number) => ({ mean, median: mean, lo: mean * 0.9, hi: mean * 1.1 });
const ch = (spend: number, contrib: number) => ({ spend, contribution: iv(contrib), share: iv(0.1), roas: iv(contrib / spend), mroas: iv(1), cpa: null, carryover_share: iv(0.2), half_life: iv(1), saturation_point: null });
const model = (id: string, name: string, created: string) => ({ id, name, dataset_id: "ds1", engine: "bayesian", seed: 0, status: "succeeded", has_result: true, created_at: created, finished_at: created, job: null });

/** A made-up response: total KPI grows with TV's share (so moving the TV slider changes it). */
function evaluate(shares: Record<string, number>, base: number) {
  const sum = Object.values(shares).reduce((a, b) => a + b, 0);
  const tv = base + 1000 * shares.TV;
  const orig = base + 1000 * 0.6;
  const m = (o: number, p: number) => ({ original_mean: o, original_lo: o * 0.9, original_hi: o * 1.1, proposed_mean: p, proposed_lo: p * 0.9, proposed_hi: p * 1.1, delta_mean: p - o, delta_lo: p - o - 1, delta_hi: p - o + 1 });
  return {
    model_id: "m1",
    budget: 1000,
    periods: 13,
    original_shares: { TV: 0.6, Search: 0.4 },
    shares,
    normalized_shares: sum > 1 ? Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, v / sum])) : null,
    metrics: { total_kpi: m(orig, tv), media_kpi: m(orig - base, tv - base), spend: m(1000, 1000 * sum), roas: m((orig - base) / 1000, (tv - base) / (1000 * sum)) },
    warnings: sum > 1 ? ["The shares add up to more than 100%"] : [],
    interval_level: 0.9,
  };
}

let api: ReturnType<typeof createMockApi>;

beforeAll(() => {
  api = createMockApi();
  mock.impl = api.fetch;
  api.on("GET", /^\/api\/v1\/models$/, () => ({ items: [model("m2", "Conversions model", "2026-01-02T00:00:00Z"), model("m1", "Revenue model", "2026-01-01T00:00:00Z")] }));
  api.on("GET", /^\/api\/v1\/models\/m1$/, () => ({ ...model("m1", "Revenue model", "2026-01-01T00:00:00Z"), mapping: "date: date\nkpi:\n  column: revenue\n  type: revenue\n", spec: "" }));
  api.on("GET", /^\/api\/v1\/models\/m2$/, () => ({ ...model("m2", "Conversions model", "2026-01-02T00:00:00Z"), mapping: "kpi: {column: signups, type: conversions}\n", spec: "" }));
  const summary = (id: string, type: string) => ({ model_id: id, kpi_type: type, interval: 0.9, approximate: false, n_draws: 100, periods: { start: "2024-01-01", end: "2024-12-30", n: 52, holdout: 0 }, channels: { TV: ch(600, 900), Search: ch(400, 500) }, baseline: {}, fit: {}, diagnostics: {} });
  api.on("GET", /^\/api\/v1\/models\/m1\/summary$/, () => summary("m1", "revenue"));
  api.on("GET", /^\/api\/v1\/models\/m2\/summary$/, () => summary("m2", "conversions"));
  api.on("POST", /^\/api\/v1\/models\/m1\/evaluate-shares$/, (b) => evaluate((b as { shares: Record<string, number> }).shares, 10_000));
  api.on("POST", /^\/api\/v1\/models\/m2\/evaluate-shares$/, (b) => ({ ...evaluate((b as { shares: Record<string, number> }).shares, 500), model_id: "m2" }));
  api.on("GET", /recommendations$/, () => ({ model_id: "m1", items: [] }));
  api.on("GET", /^\/api\/v1\/scenarios$/, () => ({ items: [] }));
  api.on("POST", /optimize$/, () => ({ model_id: "m1", plan: { allocation: { TV: 800, Search: 200 }, kpi_change: { mean: 200, lo: 100, hi: 300 }, periods: 13 }, channels: [], metrics: [] }));
  api.on("POST", /^\/api\/v1\/scenarios$/, (b) => ({ id: "sc1", model_id: "m1", name: (b as { name: string }).name, kind: "shares", request: (b as { shares: unknown }).shares, result: {}, allocation: {}, periods: 13, created_at: "2026-01-03T00:00:00Z" }));
  setApiKey("mw_test");
  localStorage.setItem("mixwise.modelId", "m1");
});

function renderScreen(path = "/allocation") {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <SessionProvider>
        <MemoryRouter initialEntries={[path]}>
          <AllocationScreen />
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}

const current = (title: string) => screen.getByTestId(`metric-${title}`).querySelector('[data-testid="metric-current"]')!;

describe("Channel Budget Allocation screen", () => {
  it("starts from the original split, follows the sliders, warns past 100%, optimizes and saves", async () => {
    renderScreen();
    const tv = await screen.findByRole("slider", { name: "TV" });
    await waitFor(() => expect(tv).toHaveValue("60"));
    expect(screen.getByRole("slider", { name: "Search" })).toHaveValue("40");
    await waitFor(() => expect(current("Revenue (total)")).toHaveTextContent("$10.6K"));

    // Move TV to 70%: a new evaluation with TV at 0.7, and the card follows.
    fireEvent.change(tv, { target: { value: "70" } });
    await waitFor(() => expect(current("Revenue (total)")).toHaveTextContent("$10.7K"));
    const last = api.calls.filter((c) => c.path.endsWith("m1/evaluate-shares")).at(-1)!.body as { shares: Record<string, number>; budget: number };
    expect(last.shares.TV).toBeCloseTo(0.7);
    expect(last.budget).toBeUndefined(); // the server default: recent spend over the periods
    expect(screen.getByTestId("over-budget-warning")).toHaveTextContent("110.0%");

    // The other KPI modelled on the same data follows too.
    await waitFor(() => expect(screen.getByTestId("other-kpis")).toHaveTextContent("signups (total)"));

    // Recommended Allocation: the optimizer's 80/20 split, back to 100%.
    await act(async () => {
      fireEvent.click(screen.getByTestId("recommended-allocation"));
    });
    await waitFor(() => expect(tv).toHaveValue("80"));
    expect(screen.queryByTestId("over-budget-warning")).toBeNull();
    expect(screen.getByText(/Recommended Allocation: the optimizer's split/)).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText("Scenario name"), { target: { value: "Plan B" } });
    fireEvent.click(screen.getByTestId("save-scenario"));
    await waitFor(() => expect(screen.getByTestId("scenario-saved")).toHaveTextContent("Plan B"));
    const saved = api.calls.find((c) => c.method === "POST" && c.path === "/api/v1/scenarios")!.body as { model_id: string; shares: { shares: Record<string, number> } };
    expect(saved.model_id).toBe("m1");
    expect(saved.shares.shares.TV).toBeCloseTo(0.8);
  });

  it("starts from a saved scenario's shares when the address names it", async () => {
    // Saved with a budget of 2000: its amounts over today's budget (1000) would read 50/150%.
    const saved = { TV: 0.25, Search: 0.75 };
    api.on("GET", /^\/api\/v1\/scenarios$/, () => ({
      items: [{ id: "sc9", model_id: "m1", name: "Heavy search", kind: "shares", request: { shares: saved, budget: 2000 }, result: evaluate(saved, 10_000), allocation: { TV: 500, Search: 1500 }, periods: 13, created_at: "2026-01-03T00:00:00Z" }],
    }));
    renderScreen("/allocation?scenario=sc9");
    const tv = await screen.findByRole("slider", { name: "TV" });
    await waitFor(() => expect(tv).toHaveValue("25"));
    expect(screen.getByRole("slider", { name: "Search" })).toHaveValue("75");
    expect(screen.getByText(/Loaded the saved scenario “Heavy search”/)).toBeInTheDocument();
  });
});
