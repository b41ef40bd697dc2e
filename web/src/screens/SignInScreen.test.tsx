import { describe, expect, it, vi, beforeAll } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { createMockApi } from "../test/mockApi";

const mock = vi.hoisted(() => {
  const m = { impl: null as null | ((i: RequestInfo | URL, init?: RequestInit) => Promise<Response>) };
  globalThis.fetch = ((i: RequestInfo | URL, init?: RequestInit) => m.impl!(i, init)) as typeof fetch;
  return m;
});

import { SignInScreen } from "./SignInScreen";
import { SessionProvider } from "../lib/session";

const problem = (status: number, detail: string, hint = "") =>
  new Response(JSON.stringify({ type: "x", title: "Error", status, detail, code: "x", hint }), { status, headers: { "content-type": "application/problem+json" } });

let api: ReturnType<typeof createMockApi>;
beforeAll(() => {
  api = createMockApi();
  mock.impl = api.fetch;
  api.on("GET", /^\/api\/v1\/auth\/methods$/, () => ({ password: true, oidc: true }));
  api.on("GET", /^\/api\/v1\/health$/, () => ({ status: "ok", version: "0", database: "sqlite", engines: [] }));
  api.on("POST", /^\/api\/v1\/auth\/sign-in$/, () => problem(429, "too many failed sign-ins: the account is locked for now", "Wait, or reset the password."));
});

describe("SignInScreen", () => {
  it("says why a sign-in is refused, offers the identity provider and the API key", async () => {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <SessionProvider>
          <MemoryRouter>
            <SignInScreen />
          </MemoryRouter>
        </SessionProvider>
      </QueryClientProvider>,
    );
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "ann@example.com" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "guess" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("locked");
    expect(api.calls.find((c) => c.path === "/api/v1/auth/sign-in")?.body).toEqual({ email: "ann@example.com", password: "guess" });
    expect((await screen.findByRole("link", { name: /identity provider/ })).getAttribute("href")).toBe("/api/v1/auth/oidc/start");
    fireEvent.click(screen.getByRole("button", { name: "Use an API key" }));
    expect(await screen.findByRole("heading", { name: "Connect to mixwise" })).toBeTruthy();
  });
});
