import { existsSync, readFileSync, rmSync } from "node:fs";
import { ENV_FILE } from "./global-setup";

/** Stop the server the setup started (its whole process group: uvicorn and its workers). */
export default async function globalTeardown(): Promise<void> {
  if (!existsSync(ENV_FILE)) return;
  const { pid, home } = JSON.parse(readFileSync(ENV_FILE, "utf8")) as { pid?: number; home?: string };
  if (!pid) return;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    /* already gone */
  }
  await new Promise((r) => setTimeout(r, 1500));
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    /* gone */
  }
  // The throw-away MIXWISE_HOME (database, uploads, fits); MIXWISE_E2E_KEEP=1 keeps it to debug.
  if (home && !process.env.MIXWISE_E2E_KEEP) rmSync(home, { recursive: true, force: true });
}
