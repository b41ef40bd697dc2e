import { describe, expect, it, vi, beforeAll } from "vitest";
import { render, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { createMockApi } from "../test/mockApi";

const mock = vi.hoisted(() => {
  const m = { impl: null as null | ((i: RequestInfo | URL, init?: RequestInit) => Promise<Response>) };
  globalThis.fetch = ((i: RequestInfo | URL, init?: RequestInit) => m.impl!(i, init)) as typeof fetch;
  return m;
});

import { ComparisonScreen } from "./ComparisonScreen";
import { SessionProvider } from "../lib/session";
import { setApiKey } from "../api/client";

const when = "2026-01-01T00:00:00Z";
const model = (id: string, engine: string) => ({ id, name: `${engine} fit`, dataset_id: "ds1", engine, seed: 0, status: "succeeded", has_result: true, created_at: when, finished_at: when, job: null });
const iv = (mean: number, lo: number, hi: number) => ({ mean, median: mean, lo, hi });
const compared = (id: string, engine: string, label: string, kind: string) => ({
  model_id: id, name: `${engine} fit`, engine, engine_label: label, interval: 0.9, interval_kind: kind, interval_text: "", data_fingerprint: "sha256:x", start: "2024-01-01", end: "2024-12-30", n_periods: 52, n_holdout: id === "b1" ? 8 : 0,
});
const comparison = {
  models: [compared("b1", "bayesian", "Bayesian (PyMC-Marketing)", "posterior"), compared("r1", "ridge", "Ridge (Robyn's method)", "bootstrap")],
  same_data: true,
  channels: [
    { channel: "TV", estimates: [{ model_id: "b1", roas: iv(2, 1.5, 2.5), share: iv(0.2, 0.15, 0.25) }, { model_id: "r1", roas: iv(2.2, 2, 2.4), share: iv(0.22, 0.2, 0.24) }], roas_agree: true, share_agree: true, spend_cv: 0.6, reasons: [] },
    {
      channel: "Print",
      estimates: [{ model_id: "b1", roas: iv(3, 2.5, 3.5), share: iv(0.1, 0.08, 0.12) }, { model_id: "r1", roas: iv(0.5, 0.2, 0.8), share: iv(0.01, 0, 0.02) }],
      roas_agree: false,
      share_agree: false,
      spend_cv: 0.1,
      reasons: [{ code: "low_spend_variation", message: "Print's spend barely varies over time", model_id: null, value: 0.1 }],
    },
  ],
  missing_channels: {},
  fit: [
    { model_id: "b1", in_sample: { r2: 0.9, mape: 0.05, nrmse: 0.08 }, holdout: { r2: 0.7, mape: 0.08, nrmse: 0.12 }, holdout_out_of_sample: true },
    { model_id: "r1", in_sample: { r2: 0.93, mape: 0.04, nrmse: 0.07 }, holdout: { r2: 0.9, mape: 0.05, nrmse: 0.08 }, holdout_out_of_sample: false },
  ],
  holdout_window: { start: "2024-11-11", end: "2024-12-30", n: 8 },
  baseline: [{ model_id: "b1", share: iv(0.6, 0.55, 0.65) }, { model_id: "r1", share: iv(0.7, 0.68, 0.72) }],
  baseline_agree: false,
  notes: ["ridge fit was fitted on the holdout window too: its holdout metrics are in-sample, not a forecast."],
};

beforeAll(() => {
  const api = createMockApi();
  mock.impl = api.fetch;
  setApiKey("mw_test");
  api.on("GET", /^\/api\/v1\/models$/, () => ({ items: [model("b1", "bayesian"), model("r1", "ridge")] }));
  api.on("GET", /^\/api\/v1\/comparisons$/, (_b, url) => (url.searchParams.get("models") === "b1,r1" ? comparison : new Response("{}", { status: 400 })));
});

function renderScreen(path = "/comparison") {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <SessionProvider>
        <MemoryRouter initialEntries={[path]}>
          <ComparisonScreen />
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}

describe("Model Comparison screen", () => {
  it("compares the newest model of each engine: intervals with their kind, verdicts, reasons, holdout", async () => {
    renderScreen();
    const table = await screen.findByRole("table", { name: "Channels compared" });
    expect(screen.getByText("The models agree on 1 of 2 channels")).toBeInTheDocument();
    expect(screen.getByText(/Bayesian \(PyMC-Marketing\): 90% credible interval; Ridge \(Robyn's method\): 90% bootstrap interval/)).toBeInTheDocument();
    const verdicts = within(table).getAllByTestId("agreement").map((v) => v.textContent);
    expect(verdicts).toEqual(["agree", "differ"]);
    expect(within(table).getByText("ROAS 3.00x [2.50x – 3.50x]")).toBeInTheDocument();
    expect(screen.getByText(/Print's spend barely varies/)).toBeInTheDocument();
    expect(screen.getByText(/Holdout: 2024-11-11 to 2024-12-30 \(8 periods\)/)).toBeInTheDocument();
    expect(within(screen.getByRole("table", { name: "Fit compared" })).getByText("(in sample)")).toBeInTheDocument();
    expect(screen.getByText(/its holdout metrics are in-sample/)).toBeInTheDocument();
  });
});
