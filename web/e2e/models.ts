/**
 * Models the trust and views specs need, made through the API (cheap sampler settings, so the
 * suite stays within minutes on two cores):
 * - "E2E tiny": a full (NUTS) fit with 2 chains x 30 draws: too few to converge (R-hat > 1.01);
 * - "E2E quick": a quick (ADVI, approximate) fit, made after it, so it is the newest fit.
 * The dataset is the one the main flow uploaded, or the demo data uploaded here when run alone.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { APIRequestContext } from "@playwright/test";
import type { E2EEnv } from "./env";

export interface E2EModels {
  datasetId: string;
  tiny: string;
  quick: string;
}

const auth = (env: E2EEnv) => ({ Authorization: `Bearer ${env.key}` });

async function json<T>(r: Awaited<ReturnType<APIRequestContext["get"]>>): Promise<T> {
  if (!r.ok()) throw new Error(`${r.url()}: ${r.status()} ${await r.text()}`);
  return (await r.json()) as T;
}

async function dataset(req: APIRequestContext, env: E2EEnv): Promise<{ id: string; yaml: string }> {
  // the spend data set (the main flow also uploads journeys and other files: not those)
  const list = await json<{ items: { id: string; filename: string }[] }>(await req.get(`${env.url}/api/v1/datasets`, { headers: auth(env) }));
  let id = list.items.find((d) => d.filename === basename(env.data))?.id;
  if (!id) {
    const up = await req.post(`${env.url}/api/v1/datasets`, {
      headers: auth(env),
      multipart: { file: { name: basename(env.data), mimeType: "text/csv", buffer: readFileSync(env.data) } },
    });
    id = (await json<{ id: string }>(up)).id;
  }
  const m = await json<{ effective: { yaml: string } | null; proposed: { yaml: string } | null }>(await req.get(`${env.url}/api/v1/datasets/${id}/mapping`, { headers: auth(env) }));
  const yaml = m.effective?.yaml ?? m.proposed?.yaml;
  if (!yaml) throw new Error("the e2e dataset has no mapping");
  return { id, yaml };
}

async function ensureModel(req: APIRequestContext, env: E2EEnv, ds: { id: string; yaml: string }, name: string, spec: object): Promise<string> {
  const list = await json<{ items: { id: string; name: string; status: string }[] }>(await req.get(`${env.url}/api/v1/models`, { headers: auth(env) }));
  const found = list.items.find((m) => m.name === name && m.status !== "failed" && m.status !== "cancelled");
  if (found) return found.id;
  const r = await req.post(`${env.url}/api/v1/models`, { headers: auth(env), data: { dataset_id: ds.id, name, mapping: { yaml: ds.yaml }, spec } });
  return (await json<{ id: string }>(r)).id;
}

async function waitFitted(req: APIRequestContext, env: E2EEnv, id: string, ms = 10 * 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const m = await json<{ status: string; has_result: boolean }>(await req.get(`${env.url}/api/v1/models/${id}`, { headers: auth(env) }));
    if (m.has_result) return;
    if (m.status === "failed" || m.status === "cancelled") throw new Error(`model ${id} ${m.status}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`model ${id} not fitted within ${ms / 1000} s`);
}

export async function ensureModels(req: APIRequestContext, env: E2EEnv): Promise<E2EModels> {
  const ds = await dataset(req, env);
  const tiny = await ensureModel(req, env, ds, "E2E tiny", { sampler: { chains: 2, draws: 30, tune: 30, seed: 1 } });
  await waitFitted(req, env, tiny);
  const quick = await ensureModel(req, env, ds, "E2E quick", { sampler: { mode: "quick", advi_iterations: 3000, draws: 200, seed: 1 } });
  await waitFitted(req, env, quick);
  return { datasetId: ds.id, tiny, quick };
}

export async function getJson<T>(req: APIRequestContext, env: E2EEnv, path: string): Promise<T> {
  return json<T>(await req.get(`${env.url}/api/v1${path}`, { headers: auth(env) }));
}
