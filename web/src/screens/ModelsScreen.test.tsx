import { describe, expect, it, vi, beforeAll, beforeEach } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { createMockApi } from "../test/mockApi";

const mock = vi.hoisted(() => {
  // Installed before the client module captures fetch.
  const m = { impl: null as null | ((i: RequestInfo | URL, init?: RequestInit) => Promise<Response>) };
  globalThis.fetch = ((i: RequestInfo | URL, init?: RequestInit) => m.impl!(i, init)) as typeof fetch;
  return m;
});

import { ModelsScreen } from "./ModelsScreen";
import { SessionProvider } from "../lib/session";
import { setApiKey } from "../api/client";

const when = "2026-01-01T00:00:00Z";
const ridgeModel = { id: "r1", name: "Ridge fit", dataset_id: "ds1", engine: "ridge", seed: 0, status: "succeeded", has_result: true, created_at: when, finished_at: when, job: null };
const iv = (mean: number) => ({ mean, median: mean, lo: mean * 0.9, hi: mean * 1.1 });
const ch = { spend: 600, contribution: iv(900), share: iv(0.1), roas: iv(1.5), mroas: iv(1), cpa: null, carryover_share: iv(0.2), half_life: iv(1), saturation_point: null };
const pm = (id: string, front: number, cluster: number, nrmse: number) => ({ id, front, cluster, nrmse, decomp_rssd: nrmse / 2, mape: null as number | null, score: nrmse, roas: { TV: 1.5 } });

function summary(chosen: string) {
  return {
    model_id: "r1",
    kpi_type: "revenue",
    interval: 0.9,
    interval_kind: "bootstrap",
    approximate: false,
    n_draws: 200,
    periods: { start: "2024-01-01", end: "2024-12-30", n: 52, holdout: 0 },
    channels: { TV: ch },
    baseline: {},
    fit: {},
    diagnostics: {},
    chosen_model: chosen,
    pareto: { models: [pm("2_1985", 1, 1, 0.08), pm("1_5", 1, 2, 0.09), pm("3_40", 2, 1, 0.11)], clusters: [] },
  };
}

let api: ReturnType<typeof createMockApi>;
let chosen = "2_1985";

beforeAll(() => {
  api = createMockApi();
  mock.impl = api.fetch;
  setApiKey("mw_test");
});

beforeEach(() => {
  chosen = "2_1985";
  api.calls.length = 0;
  api.on("GET", /^\/api\/v1\/health$/, () => ({ status: "ok", version: "0", engines: ["bayesian", "meridian", "ridge"], engine_labels: { bayesian: "Bayesian (PyMC-Marketing)", meridian: "Meridian", ridge: "Ridge (Robyn's method)" } }));
  api.on("GET", /^\/api\/v1\/datasets$/, () => ({ items: [{ id: "ds1", name: "Weekly sales" }] }));
  api.on("GET", /^\/api\/v1\/models$/, () => ({ items: [ridgeModel] }));
  api.on("GET", /^\/api\/v1\/models\/r1$/, () => ({ ...ridgeModel, mapping: "kpi:\n  column: revenue\n", spec: "" }));
  api.on("GET", /^\/api\/v1\/models\/r1\/logs$/, () => ({ lines: [] }));
  api.on("GET", /^\/api\/v1\/models\/r1\/summary$/, () => summary(chosen));
  api.on("GET", /^\/api\/v1\/models\/r1\/contributions$/, () => ({
    model_id: "r1",
    interval: 0.9,
    dates: ["2024-01-01", "2024-01-08"],
    holdout_start: null,
    channels: {},
    baseline: { mean: [1, 1], lo: [1, 1], hi: [1, 1] },
    fitted: { mean: [2, 3], lo: [1.8, 2.7], hi: [2.2, 3.3] },
    observed: [2, 3],
    spend: {},
  }));
  api.on("GET", /^\/api\/v1\/models\/r1\/diagnostics$/, () => ({ verdict: "ridge: 200 block-bootstrap refits of Pareto model 2_1985", converged: null, approximate: false, fit: { in_sample: { r2: 0.9, mape: 0.05, nrmse: 0.08 }, holdout: null }, convergence: {} }));
  api.on("POST", /^\/api\/v1\/models$/, (b) => ({ ...ridgeModel, id: "new", status: "queued", has_result: false, engine: (b as { engine: string }).engine, mapping: "", spec: "" }));
  api.on("GET", /^\/api\/v1\/models\/new$/, () => ({ ...ridgeModel, id: "new", status: "queued", has_result: false, mapping: "", spec: "" }));
  api.on("GET", /^\/api\/v1\/models\/new\/logs$/, () => ({ lines: [] }));
  api.on("POST", /^\/api\/v1\/models\/r1\/select$/, (b) => {
    chosen = (b as { pareto_model: string }).pareto_model;
    return summary(chosen);
  });
});

function renderScreen() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <SessionProvider>
        <MemoryRouter initialEntries={["/models"]}>
          <ModelsScreen />
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}

const form = () => screen.getByRole("form", { name: "Start a fit" });
const posted = () => api.calls.filter((c) => c.method === "POST" && c.path === "/api/v1/models").map((c) => c.body as { engine: string; seed: number; spec: Record<string, unknown> });

describe("Models screen: engines", () => {
  it("shows the ridge engine's own options, checks their bounds and sends them as the spec's ridge block", async () => {
    renderScreen();
    const engine = await within(form()).findByRole("combobox", { name: "Engine" });
    await waitFor(() => expect(within(engine).getByRole("option", { name: "Ridge (Robyn's method)" })).toBeInTheDocument());
    expect(within(form()).getByRole("combobox", { name: "Sampling" })).toBeInTheDocument();
    expect(within(form()).queryByLabelText("Trials")).toBeNull();

    fireEvent.change(engine, { target: { value: "ridge" } });
    expect(within(form()).queryByRole("combobox", { name: "Sampling" })).toBeNull();
    expect(within(form()).queryByLabelText("Saturation (diminishing returns)")).toBeNull();
    const adstock = within(form()).getByRole("combobox", { name: "Adstock (carry-over)" });
    expect(within(adstock).getAllByRole("option").map((o) => o.getAttribute("value"))).toEqual(["geometric", "weibull_cdf", "weibull_pdf"]);
    expect(within(form()).getByLabelText("Optimizer (Nevergrad)")).toHaveValue("TwoPointsDE");
    expect(within(form()).getByLabelText("Trials")).toHaveValue(5);
    expect(within(form()).getByLabelText("Iterations per trial")).toHaveValue(2000);

    // Out of RidgeSpec's bounds: said in the form, and nothing is sent.
    fireEvent.change(within(form()).getByLabelText("Trials"), { target: { value: "101" } });
    expect(within(form()).getByText("Must be a whole number from 1 to 100.")).toBeInTheDocument();
    fireEvent.change(within(form()).getByLabelText("Iterations per trial"), { target: { value: "5" } });
    expect(within(form()).getByText("Must be a whole number from 10 to 100000.")).toBeInTheDocument();
    const startButton = within(form()).getByRole("button", { name: "Start fit" });
    expect(startButton).toBeDisabled();

    fireEvent.change(within(form()).getByLabelText("Trials"), { target: { value: "3" } });
    fireEvent.change(within(form()).getByLabelText("Iterations per trial"), { target: { value: "500" } });
    fireEvent.change(within(form()).getByLabelText("Optimizer (Nevergrad)"), { target: { value: "DE" } });
    fireEvent.change(adstock, { target: { value: "weibull_pdf" } });
    expect(startButton).toBeEnabled();
    fireEvent.click(startButton);
    await waitFor(() => expect(posted()).toHaveLength(1));
    const body = posted()[0];
    expect(body.engine).toBe("ridge");
    expect(body.spec).toEqual({ adstock: { kind: "weibull_pdf" }, ridge: { trials: 3, iterations: 500, optimizer: "DE" } });
  });

  it("sends the Bayesian options without a ridge block", async () => {
    renderScreen();
    const engine = await within(form()).findByRole("combobox", { name: "Engine" });
    await waitFor(() => expect(within(form()).getByRole("button", { name: "Start fit" })).toBeEnabled());
    expect(engine).toHaveValue("bayesian");
    fireEvent.click(within(form()).getByRole("button", { name: "Start fit" }));
    await waitFor(() => expect(posted()).toHaveLength(1));
    const body = posted()[0];
    expect(body.engine).toBe("bayesian");
    expect(body.spec.ridge).toBeUndefined();
    expect(body.spec.sampler).toMatchObject({ mode: "full", chains: 4, draws: 1000 });
  });

  it("sends Meridian only what it has: no adstock or saturation kind, no sampling mode", async () => {
    renderScreen();
    const engine = await within(form()).findByRole("combobox", { name: "Engine" });
    await waitFor(() => expect(within(engine).getByRole("option", { name: "Meridian" })).toBeInTheDocument());
    fireEvent.change(engine, { target: { value: "meridian" } });
    expect(within(form()).queryByRole("combobox", { name: "Sampling" })).toBeNull();
    expect(within(form()).queryByRole("combobox", { name: "Adstock (carry-over)" })).toBeNull();
    expect(within(form()).queryByLabelText("Saturation (diminishing returns)")).toBeNull();
    fireEvent.click(within(form()).getByRole("button", { name: "Start fit" }));
    await waitFor(() => expect(posted()).toHaveLength(1));
    const body = posted()[0];
    expect(body.engine).toBe("meridian");
    expect(body.spec).toEqual({ holdout: 0, sampler: { chains: 4, draws: 1000, tune: 1000, seed: 0 } });
  });
});

describe("Models screen: fit all engines", () => {
  it("starts one fit per engine in one request, with options every engine accepts", async () => {
    api.on("POST", /^\/api\/v1\/models\/batch$/, () => ({ items: [{ ...ridgeModel, id: "b9", engine: "bayesian", status: "queued", has_result: false, mapping: "", spec: "" }, { ...ridgeModel, id: "r9", status: "queued", has_result: false, mapping: "", spec: "" }], comparison: "/api/v1/comparisons?models=b9,r9" }));
    renderScreen();
    const button = await within(form()).findByRole("button", { name: "Fit all engines" });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    await waitFor(() => expect(api.calls.some((c) => c.path === "/api/v1/models/batch")).toBe(true));
    const body = api.calls.find((c) => c.path === "/api/v1/models/batch")!.body as { dataset_id: string; engines?: string[]; spec: Record<string, unknown> };
    expect(body.dataset_id).toBe("ds1");
    expect(body.engines).toBeUndefined(); // every engine the server has
    expect(body.spec.holdout).toBeUndefined(); // the ridge engine cannot hold periods out
    expect(body.spec.saturation).toBeUndefined(); // each engine its own curve
    expect(body.spec.ridge).toMatchObject({ trials: 5, iterations: 2000 });
    expect(body.spec.sampler).toMatchObject({ mode: "full", draws: 1000 });
    expect(posted()).toHaveLength(0);
  });
});

describe("Models screen: a ridge fit's Pareto models", () => {
  it("lists them with the chosen one marked and makes another the chosen model", async () => {
    renderScreen();
    const table = await screen.findByRole("table", { name: "Pareto models" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[0].textContent?.trim())).toEqual(["2_1985 chosen", "1_5", "3_40"]);
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Model", "Front", "Cluster", "NRMSE", "DECOMP.RSSD", ""]);
    expect(rows[0]).toHaveAttribute("aria-current", "true");
    expect(within(rows[0]).queryByRole("button")).toBeNull();
    expect(screen.getByTestId("pareto")).toHaveTextContent("90% bootstrap intervals");

    const contributionsBefore = api.calls.filter((c) => c.path.endsWith("/r1/contributions")).length;
    fireEvent.click(within(rows[1]).getByRole("button", { name: "Make 1_5 the chosen model" }));
    await waitFor(() => expect(api.calls.some((c) => c.method === "POST" && c.path === "/api/v1/models/r1/select")).toBe(true));
    expect(api.calls.find((c) => c.path === "/api/v1/models/r1/select")!.body).toEqual({ pareto_model: "1_5" });

    // The chosen mark moves and the model's results are fetched again.
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Pareto models" })).getAllByRole("row")[2]).toHaveAttribute("aria-current", "true"));
    await waitFor(() => expect(api.calls.filter((c) => c.path.endsWith("/r1/contributions")).length).toBeGreaterThan(contributionsBefore));
  });

  it("shows MAPE.LIFT only when the fit had lift tests", async () => {
    api.on("GET", /^\/api\/v1\/models\/r1\/summary$/, () => {
      const s = summary(chosen);
      s.pareto.models = s.pareto.models.map((m, i) => ({ ...m, mape: i === 0 ? 0.12 : null }));
      return s;
    });
    renderScreen();
    const table = await screen.findByRole("table", { name: "Pareto models" });
    expect(within(table).getByRole("columnheader", { name: "MAPE.LIFT" })).toBeInTheDocument();
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent("0.1200");
  });
});
