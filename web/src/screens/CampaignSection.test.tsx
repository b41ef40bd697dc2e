import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMockApi } from "../test/mockApi";

const mock = vi.hoisted(() => {
  const m = { impl: null as null | ((i: RequestInfo | URL, init?: RequestInit) => Promise<Response>) };
  globalThis.fetch = ((i: RequestInfo | URL, init?: RequestInit) => m.impl!(i, init)) as typeof fetch;
  return m;
});

import { CampaignSection } from "./CampaignTimeline";
import { setApiKey } from "../api/client";
import { DEFAULT_UNITS } from "../lib/format";

const iv = (mean: number) => ({ mean, median: mean, lo: mean * 0.8, hi: mean * 1.2 });
const flight = { row: 1, campaign: "Spring", channel: "TV", start: "2024-01-01", end: "2024-01-21", creative: "Hero", creative_type: "TV Ad", tags: [], segment: "", spend: null };
const timeline = {
  model_id: "m1", interval: 0.9, kpi_type: "revenue", carry_over_periods: 7, method: "Counterfactual.",
  flights: [{ ...flight, periods: [0, 2], spend_in_model: 100, contribution_during: iv(150), contribution_after: iv(50), contribution: iv(200), roas: iv(2), why_no_roas: null }],
  consistency: { definition: "Share of active days with all planned channels live.", window_days: 30, current: { start: "2023-12-23", end: "2024-01-21", consistent_days: 21, active_days: 21, score: 1 }, previous: { start: "2023-11-23", end: "2023-12-22", consistent_days: 0, active_days: 0, score: null }, change: null },
  tags: [], min_tag_flights: 3, findings: [],
};

function renderSection() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <CampaignSection modelId="m1" units={DEFAULT_UNITS} channels={["TV"]} />
    </QueryClientProvider>,
  );
}

describe("CampaignSection", () => {
  let api: ReturnType<typeof createMockApi>;
  beforeEach(() => {
    api = createMockApi();
    mock.impl = api.fetch;
    setApiKey("mw_test");
  });

  it("without a calendar says how to get one and asks the model nothing", async () => {
    renderSection();
    expect(await screen.findByText(/No calendar yet/)).toBeTruthy();
    expect(api.calls.some((c) => c.path.endsWith("/timeline"))).toBe(false);
  });

  it("with a calendar shows the model's timeline for the 30-day window", async () => {
    api.on("GET", /^\/api\/v1\/calendar$/, () => ({ flights: [flight], findings: [] }));
    api.on("GET", /^\/api\/v1\/models\/m1\/timeline$/, (_b, url) => (url.searchParams.get("window_days") === "30" ? timeline : new Response("{}", { status: 400 })));
    renderSection();
    expect(await screen.findByRole("article", { name: "Spring: Hero" })).toBeTruthy();
    expect(screen.getByTestId("consistency-score").textContent).toBe("100%");
    expect(screen.getByText(/No change shown/)).toBeTruthy();
    expect(screen.getByText(/No flight carries a tag/)).toBeTruthy();
  });
});
