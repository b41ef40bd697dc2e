import { describe, expect, it, vi, beforeAll } from "vitest";
import { render, screen } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { createMockApi } from "../test/mockApi";

const mock = vi.hoisted(() => {
  // Installed before the client module captures fetch.
  const m = { impl: null as null | ((i: RequestInfo | URL, init?: RequestInit) => Promise<Response>) };
  globalThis.fetch = ((i: RequestInfo | URL, init?: RequestInit) => m.impl!(i, init)) as typeof fetch;
  return m;
});

import { DataScreen } from "./DataScreen";
import { SessionProvider } from "../lib/session";
import { setApiKey } from "../api/client";

const when = "2026-01-01T00:00:00Z";
const journeys = { id: "ds1", name: "Journeys", filename: "journeys.csv", size_bytes: 100, n_rows: 3, columns: ["user", "ts", "channel"], has_mapping: false, created_at: when, updated_at: when };

let api: ReturnType<typeof createMockApi>;

beforeAll(() => {
  api = createMockApi();
  mock.impl = api.fetch;
  setApiKey("mw_test");
  api.on("GET", /^\/api\/v1\/health$/, () => ({ status: "ok", version: "0", engines: ["bayesian"], engine_labels: { bayesian: "Bayesian" } }));
  api.on("GET", /^\/api\/v1\/datasets$/, () => ({ items: [journeys] }));
  api.on("GET", /^\/api\/v1\/datasets\/ds1\/preview$/, () => ({ dataset_id: "ds1", columns: journeys.columns, rows: [{ user: "u1", ts: "2024-01-01", channel: "search" }], offset: 0, limit: 8, n_rows: 3 }));
  api.on("GET", /^\/api\/v1\/datasets\/ds1\/mapping$/, () => ({ dataset_id: "ds1", proposed: null, notes: ["no date column found"], current: null, effective: null }));
  // A file no mapping could be proposed for (e.g. journeys): the checks answer 422.
  api.on(
    "GET",
    /^\/api\/v1\/datasets\/ds1\/findings$/,
    () =>
      new Response(JSON.stringify({ title: "Unprocessable Entity", status: 422, detail: "this dataset has no mapping yet (none could be proposed)", code: "mapping" }), {
        status: 422,
        headers: { "content-type": "application/problem+json" },
      }),
  );
});

describe("Data screen", () => {
  it("says why there are no charts when the checks cannot run, instead of a spinner that never ends", async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <SessionProvider>
          <MemoryRouter initialEntries={["/data"]}>
            <DataScreen />
          </MemoryRouter>
        </SessionProvider>
      </QueryClientProvider>,
    );
    expect(await screen.findByText(/no mapping yet/)).toBeInTheDocument();
    expect(await screen.findByText("No charts until the data is checked")).toBeInTheDocument();
    expect(screen.queryByText("Summarising the data")).toBeNull();
    expect(api.calls.some((c) => c.path.endsWith("/eda"))).toBe(false);
  });
});
