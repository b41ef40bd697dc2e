import { describe, expect, it, vi, beforeAll } from "vitest";
import { render, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMockApi } from "../test/mockApi";

const mock = vi.hoisted(() => {
  // Installed before the client module captures fetch.
  const m = { impl: null as null | ((i: RequestInfo | URL, init?: RequestInit) => Promise<Response>) };
  globalThis.fetch = ((i: RequestInfo | URL, init?: RequestInit) => m.impl!(i, init)) as typeof fetch;
  return m;
});

import { AccuracyPanel } from "./AccuracyPanel";
import { setApiKey } from "../api/client";

const api = createMockApi();
const bt = (coverage: number, mape: number | null) => ({ periods: 13, mape, coverage, crps: 1234.5678, level: 0.9, series: [] });

beforeAll(() => {
  mock.impl = api.fetch;
  setApiKey("k");
  api.on("GET", /^\/api\/v1\/models\/m3\/accuracy$/, () => ({
    model_id: "m3",
    points: [
      { model_id: "m1", name: "first", parent_id: null, data_end: "2024-03-25", backtest: null },
      { model_id: "m2", name: "refresh 1", parent_id: "m1", data_end: "2024-06-24", backtest: bt(0.923, 0.051) },
      { model_id: "m3", name: "refresh 2", parent_id: "m2", data_end: "2024-09-23", backtest: bt(0.615, null) },
    ],
  }));
  api.on("GET", /^\/api\/v1\/models\/solo\/accuracy$/, () => ({
    model_id: "solo",
    points: [{ model_id: "solo", name: "first", parent_id: null, data_end: "2024-03-25", backtest: null }],
  }));
});

function renderPanel(id: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <AccuracyPanel id={id} />
    </QueryClientProvider>,
  );
}

describe("Model accuracy over time", () => {
  it("lists one row per refresh, oldest first, with MAPE, coverage of the 90% interval and CRPS", async () => {
    renderPanel("m3");
    const table = await screen.findByRole("table", { name: "Backtests across refreshes" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[0].textContent)).toEqual(["refresh 1", "refresh 2"]);
    const first = within(rows[0]).getAllByRole("cell").map((c) => c.textContent);
    expect(first).toEqual(["refresh 1", "2024-06-24", "13", "5.1%", "92.3%", "1235"]);
    // a MAPE that cannot be computed reads as a dash, and low coverage is called out
    const second = within(rows[1]).getAllByRole("cell").map((c) => c.textContent);
    expect(second[3]).toBe("—");
    expect(second[4]).toContain("61.5%");
    expect(second[4]).toContain("over-confident");
    expect(first[4]).not.toContain("over-confident");
  });

  it("says why there is nothing to show before the first refresh", async () => {
    renderPanel("solo");
    expect(await screen.findByText(/No backtest yet/)).toBeInTheDocument();
    expect(screen.queryByRole("table")).toBeNull();
  });
});
