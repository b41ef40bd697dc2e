import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";

const mock = vi.hoisted(() => {
  const m = { bodies: [] as unknown[], status: 200, payload: null as unknown };
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    m.bodies.push({ url: req.url, body: await req.clone().json() });
    return new Response(JSON.stringify(m.payload), { status: m.status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  return m;
});

import { GeoPlan } from "./GeoPlan";

const iv = (mean: number) => ({ mean, median: mean, lo: mean * 0.8, hi: mean * 1.2 });
const row = (cell: string, channel: string, budget: number) => ({ group: "", cell, channel, recent: 100, budget, bound: "", kpi: iv(budget * 2), roas: iv(2), mroas: iv(1.5) });

function renderIt() {
  const qc = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(<QueryClientProvider client={qc}><GeoPlan modelId="m1" budget={1000} periods={13} currency="USD" /></QueryClientProvider>);
}

describe("GeoPlan", () => {
  it("asks the cells endpoint and shows a per-geo table with a geo picker", async () => {
    mock.status = 200;
    mock.payload = {
      model_id: "m1", by: "geo", periods: 13, risk: "posterior mean", groups: { "": 1000 }, converged: true, message: "",
      cells: [{ group: "", cell: "north", recent: 200, budget: 600, kpi: iv(1200), uplift: iv(50) }, { group: "", cell: "south", recent: 200, budget: 400, kpi: iv(800), uplift: iv(20) }],
      allocation: [row("north", "TV", 600), row("south", "TV", 400)],
    };
    renderIt();
    fireEvent.click(screen.getByRole("button", { name: "Optimize per geo" }));
    const table = await screen.findByRole("table", { name: "Allocation per geo" });
    expect(mock.bodies.at(-1)).toMatchObject({ body: { budget: 1000, periods: 13 } });
    expect((mock.bodies.at(-1) as { url: string }).url).toContain("/models/m1/optimize/cells");
    expect(table.querySelectorAll("tbody tr")).toHaveLength(2);
    fireEvent.change(screen.getByLabelText("Geo"), { target: { value: "south" } });
    await waitFor(() => expect(table.querySelectorAll("tbody tr")).toHaveLength(1));
    expect(table.textContent).toContain("south");
    expect(table.textContent).not.toContain("north");
  });

  it("says why when the model has no geos", async () => {
    mock.status = 422;
    mock.payload = { error: "plan_error", title: "the model is national: it has no geos to plan per cell", detail: "Plan it without --by geo" };
    renderIt();
    fireEvent.click(screen.getByRole("button", { name: "Optimize per geo" }));
    expect(await screen.findByText("The budget could not be planned per geo")).toBeTruthy();
  });
});
