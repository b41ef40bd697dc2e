import { describe, expect, it, vi, beforeAll } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { createMockApi } from "../test/mockApi";

const mock = vi.hoisted(() => {
  const m = { impl: null as null | ((i: RequestInfo | URL, init?: RequestInit) => Promise<Response>) };
  globalThis.fetch = ((i: RequestInfo | URL, init?: RequestInit) => m.impl!(i, init)) as typeof fetch;
  return m;
});

import { ConnectorsScreen } from "./ConnectorsScreen";
import { SessionProvider } from "../lib/session";
import { setApiKey } from "../api/client";

const when = "2026-11-02T06:00:00Z";
let api: ReturnType<typeof createMockApi>;

beforeAll(() => {
  api = createMockApi();
  mock.impl = api.fetch;
  setApiKey("mw_test");
  api.on("GET", /^\/api\/v1\/connectors$/, () => [
    { id: "con_1", name: "meta", kind: "meta_ads", label: "Meta Ads", settings: { account_id: "1" }, lookback_days: 7, last_day: "2026-11-01", last_sync_at: when, last_status: "ok", last_error: null, rows: null },
    { id: "con_2", name: "gads", kind: "google_ads", label: "Google Ads", settings: {}, lookback_days: 7, last_day: null, last_sync_at: when, last_status: "failed", last_error: "Google Ads: the access token expired or was revoked", rows: null },
  ]);
  api.on("GET", /^\/api\/v1\/schedules$/, () => [
    {
      id: "sch_1", name: "nightly", cron: "0 6 * * *", model_id: "mdl_2", enabled: true, next_run_at: when,
      runs: [
        { id: "r2", status: "failed", step: "validate", job_id: "j2", previous_model_id: "mdl_2", new_model_id: null, error: "The data has 1 error(s); first: [connector_currency_change] Meta Ads: the currency changes from USD to EUR", summary: {}, created_at: when, finished_at: when, log: ["step: sync", "step: validate"] },
        { id: "r1", status: "succeeded", step: "done", job_id: "j1", previous_model_id: "mdl_1", new_model_id: "mdl_2", error: null, summary: { flagged: ["Meta Ads"] }, created_at: when, finished_at: when, log: ["step: sync", "step: validate", "step: refit", "step: compare"] },
      ],
    },
  ]);
  api.on("GET", /^\/api\/v1\/auth\/me$/, () => ({ user: null, workspaces: [], workspace_id: "ws1", role: "admin", via: "key" }));
  api.on("GET", /^\/api\/v1\/connector-kinds$/, () => [
    { name: "meta_ads", label: "Meta Ads", settings: ["account_id", "action_type"], secrets: ["access_token"], client: "httpx" },
  ]);
  api.on("POST", /^\/api\/v1\/connectors$/, (body) => ({ id: "con_3", name: (body as { name: string }).name, kind: "meta_ads", label: "Meta Ads", settings: {}, lookback_days: 7, last_day: null, last_sync_at: null, last_status: null, last_error: null, rows: null }));
  api.on("POST", /^\/api\/v1\/schedules\/sch_1\/run$/, () => ({ id: "r3", status: "queued", step: "sync", job_id: "j3", previous_model_id: "mdl_2", new_model_id: null, error: null, summary: {}, created_at: when, finished_at: null, log: [] }));
});

describe("ConnectorsScreen", () => {
  it("lists connectors with their failures, schedules with their runs, logs and flagged channels, and runs one now", async () => {
    renderScreen();
    const connectors = await screen.findByRole("table", { name: "Connectors" });
    expect(within(connectors).getByText("Meta Ads")).toBeTruthy();
    expect(within(connectors).getByText(/failed: Google Ads: the access token expired/)).toBeTruthy();
    const schedule = await screen.findByRole("region", { name: "Schedule nightly" });
    const runs = within(schedule).getByRole("table", { name: "Last runs" });
    expect(within(runs).getByText(/connector_currency_change/)).toBeTruthy();
    expect(within(runs).getByText(/new model mdl_2 · flagged: Meta Ads/)).toBeTruthy();
    expect(within(runs).getByText("4 lines")).toBeTruthy();
    fireEvent.click(within(schedule).getByRole("button", { name: "Run now" }));
    await vi.waitFor(() => expect(api.calls.some((c) => c.method === "POST" && c.path === "/api/v1/schedules/sch_1/run")).toBe(true));
    expect(JSON.stringify(api.calls)).not.toMatch(/secret/);
  });

  it("lets an admin add a connector; the token goes in a password field that is cleared once sent", async () => {
    renderScreen();
    const form = await screen.findByRole("form", { name: "Add a connector" });
    await within(form).findByRole("option", { name: "Meta Ads" });
    fireEvent.change(within(form).getByRole("combobox"), { target: { value: "meta_ads" } });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "meta2" } });
    fireEvent.change(within(form).getByLabelText("account_id"), { target: { value: "42" } });
    const token = within(form).getByLabelText("access_token") as HTMLInputElement;
    expect(token.type).toBe("password");
    fireEvent.change(token, { target: { value: "EAAB-tok" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add" }));
    expect(await within(form).findByText("Connector meta2 added.")).toBeTruthy();
    const post = api.calls.find((c) => c.method === "POST" && c.path === "/api/v1/connectors");
    expect(post?.body).toMatchObject({ name: "meta2", kind: "meta_ads", settings: { account_id: "42" }, secrets: { access_token: "EAAB-tok" } });
    expect(token.value).toBe("");
  });
});

function renderScreen() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <SessionProvider>
        <MemoryRouter>
          <ConnectorsScreen />
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}
