/**
 * The typed API client: openapi-fetch over the generated `schema.d.ts`, the Bearer key added to
 * every request, every non-2xx answer thrown as an ApiError (from its RFC 9457 problem body).
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { ApiError } from "./errors";

export type Schemas = components["schemas"];

const KEY_STORAGE = "mixwise.apiKey";

let apiKey: string | null = readStoredKey();

function readStoredKey(): string | null {
  try {
    return globalThis.localStorage?.getItem(KEY_STORAGE) ?? null;
  } catch {
    return null;
  }
}

export function getApiKey(): string | null {
  return apiKey;
}

export function setApiKey(key: string | null): void {
  apiKey = key && key.trim() ? key.trim() : null;
  try {
    if (apiKey) localStorage.setItem(KEY_STORAGE, apiKey);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    /* private mode: keep it in memory only */
  }
}

const WORKSPACE_STORAGE = "mixwise.workspaceId";

/** The workspace a signed-in person works in (sent as X-Workspace; keys have their own). */
export function getWorkspaceId(): string | null {
  try {
    return globalThis.localStorage?.getItem(WORKSPACE_STORAGE) ?? null;
  } catch {
    return null;
  }
}

export function setWorkspaceId(id: string | null): void {
  try {
    if (id) localStorage.setItem(WORKSPACE_STORAGE, id);
    else localStorage.removeItem(WORKSPACE_STORAGE);
  } catch {
    /* ignore */
  }
}

/** The CSRF token the server set at sign-in (a readable cookie), echoed on every change. */
function csrfToken(): string | null {
  const m = /(?:^|;\s*)mw_csrf=([^;]+)/.exec(globalThis.document?.cookie ?? "");
  return m ? decodeURIComponent(m[1]) : null;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (apiKey) {
      request.headers.set("Authorization", `Bearer ${apiKey}`);
      return request;
    }
    const ws = getWorkspaceId();
    if (ws) request.headers.set("X-Workspace", ws);
    const csrf = csrfToken();
    if (csrf && request.method !== "GET") request.headers.set("X-CSRF-Token", csrf);
    return request;
  },
};

/** Same origin: `mixwise serve` serves the app and the API; `npm run dev` proxies /api. */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "http://localhost" });
api.use(auth);

/** Await an openapi-fetch call: its data, or an ApiError built from the problem document. */
export async function unwrap<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let res;
  try {
    res = await p;
  } catch (e) {
    throw ApiError.from(e);
  }
  const { data, error, response } = res;
  if (!response.ok || error !== undefined) throw ApiError.fromBody(response.status, error);
  return data as T;
}
