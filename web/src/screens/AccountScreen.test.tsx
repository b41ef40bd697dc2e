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

import { AccountScreen } from "./AccountScreen";
import { SessionProvider } from "../lib/session";
import { setApiKey } from "../api/client";

const when = "2026-11-01T00:00:00Z";
let api: ReturnType<typeof createMockApi>;

beforeAll(() => {
  api = createMockApi();
  mock.impl = api.fetch;
  setApiKey("mw_test");
  api.on("GET", /^\/api\/v1\/auth\/me$/, () => ({ user: null, workspaces: [], workspace_id: "ws1", role: "viewer", via: "key" }));
  api.on("GET", /^\/api\/v1\/plan$/, () => ({
    tier: "professional",
    tier_label: "Professional",
    metered: true,
    features: [
      { name: "basic_mmm", label: "Basic MMM Dashboard", credits: 10, tiers: ["professional", "advanced"], included: true, reason: null },
      { name: "budget_allocation", label: "Budget Allocation Tool", credits: 30, tiers: ["advanced"], included: false, reason: "Budget Allocation Tool is not in the Professional tier; it comes with Advanced" },
    ],
  }));
  api.on("GET", /^\/api\/v1\/credits$/, () => ({ tier: "professional", metered: true, balance: 70, entries: [{ id: 1, kind: "grant", amount: 100, feature: null, ref: null, note: "", actor: "operator", created_at: when }] }));
  api.on("GET", /^\/api\/v1\/usage$/, () => ({ items: [{ month: "2026-11", feature: "basic_mmm", uses: 3, credits: 30 }] }));
  api.on("GET", /^\/api\/v1\/keys$/, () => ({ items: [] }));
});

describe("AccountScreen", () => {
  it("shows the balance, locked features with the server's reason, and usage per month; no members for a viewer", async () => {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <SessionProvider>
          <MemoryRouter>
            <AccountScreen />
          </MemoryRouter>
        </SessionProvider>
      </QueryClientProvider>,
    );
    expect(await screen.findByText(/balance 70 credits/)).toBeTruthy();
    const features = screen.getByRole("table", { name: "Features" });
    expect(within(features).getByText(/it comes with Advanced/)).toBeTruthy();
    const usage = await screen.findByRole("table", { name: "Usage per month" });
    expect(within(usage).getByText("2026-11")).toBeTruthy();
    expect(screen.queryByRole("region", { name: "Members" })).toBeNull();
  });
});
