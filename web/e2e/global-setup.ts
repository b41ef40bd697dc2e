/**
 * Start a real mixwise backend for the end-to-end tests:
 * - build web/dist when it is missing or older than the sources (MIXWISE_E2E_SKIP_BUILD=1 skips);
 * - generate the demo synthetic dataset (`mixwise synth`) to upload through the UI;
 * - `mixwise keys create e2e` and `mixwise serve --no-browser` on a free loopback port, with a
 *   temporary MIXWISE_HOME, serving this web/dist;
 * - write what the tests need (URL, key, data file) to test-results/e2e-env.json.
 * MIXWISE_E2E_URL + MIXWISE_E2E_KEY point the tests at a server that is already running instead.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
import { CHROMIUM } from "../playwright.config";

const web = resolve(here, "..");
const repo = resolve(web, "..");
export const ENV_FILE = join(web, "test-results", "e2e-env.json");

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (a && typeof a === "object" ? res(a.port) : rej(new Error("no port"))));
    });
  });
}

async function waitFor(url: string, ms: number, log: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`mixwise serve did not answer ${url} within ${ms / 1000} s; see ${log}`);
}

export default async function globalSetup(): Promise<void> {
  mkdirSync(join(web, "test-results", "screens"), { recursive: true });
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH. No browser is downloaded.`);
  }
  if (process.env.MIXWISE_E2E_URL && process.env.MIXWISE_E2E_KEY) {
    writeFileSync(ENV_FILE, JSON.stringify({ url: process.env.MIXWISE_E2E_URL, key: process.env.MIXWISE_E2E_KEY, data: process.env.MIXWISE_E2E_DATA ?? "" }));
    return;
  }
  const dist = join(web, "dist", "index.html");
  if (!process.env.MIXWISE_E2E_SKIP_BUILD && (!existsSync(dist) || statSync(dist).mtimeMs < newest(join(web, "src")))) {
    execFileSync("npx", ["vite", "build"], { cwd: web, stdio: "inherit" });
  }
  const mixwise = process.env.MIXWISE_BIN ?? join(repo, ".venv", "bin", "mixwise");
  const home = mkdtempSync(join(tmpdir(), "mixwise-e2e-"));
  const env: NodeJS.ProcessEnv = { ...process.env, MIXWISE_HOME: home, MIXWISE_WEB_DIST: join(web, "dist") };
  delete env.MIXWISE_DATABASE_URL;
  const data = join(home, "upload");
  execFileSync(mixwise, ["synth", "--preset", "demo", "--out", data], { env, stdio: "ignore" });
  const key = execFileSync(mixwise, ["keys", "create", "e2e"], { env, encoding: "utf8" }).trim().split("\n").pop()!.trim();
  const port = await freePort();
  const log = join(home, "serve.log");
  const out = openSync(log, "a");
  const server = spawn(mixwise, ["serve", "--no-browser", "--host", "127.0.0.1", "--port", String(port)], { env, stdio: ["ignore", out, out], detached: true });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/v1/health`, 90_000, log);
  writeFileSync(ENV_FILE, JSON.stringify({ url, key, data: join(data, "data.csv"), pid: server.pid, home, log }));
  process.env.MIXWISE_E2E_URL = url;
}
