/**
 * A tiny in-memory stand-in for the mixwise API, for screen tests: routes by method and path,
 * records every request. Install it with `vi.stubGlobal("fetch", mock.fetch)` before the API
 * client module is imported (openapi-fetch keeps the fetch it was created with).
 */
export interface Call {
  method: string;
  path: string;
  body: unknown;
}

type Handler = (body: unknown, url: URL) => unknown | Promise<unknown>;

export function createMockApi() {
  const routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url);
    const text = req.method === "GET" ? "" : await req.text();
    const body = text ? JSON.parse(text) : undefined;
    calls.push({ method: req.method, path: url.pathname, body });
    const r = routes.find((x) => x.method === req.method && x.pattern.test(url.pathname));
    if (!r) return new Response(JSON.stringify({ title: "Not Found", status: 404, detail: `no mock for ${req.method} ${url.pathname}` }), { status: 404, headers: { "content-type": "application/problem+json" } });
    const out = await r.handler(body, url);
    if (out instanceof Response) return out;
    return new Response(JSON.stringify(out), { status: 200, headers: { "content-type": "application/json" } });
  };
  return {
    fetch,
    calls,
    on(method: string, pattern: RegExp, handler: Handler) {
      routes.unshift({ method, pattern, handler });
    },
  };
}
