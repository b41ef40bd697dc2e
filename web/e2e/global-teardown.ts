import { existsSync, readFileSync } from "node:fs";
import { ENV_FILE } from "./global-setup";

/** Stop the server the setup started (its whole process group: uvicorn and its workers). */
export default async function globalTeardown(): Promise<void> {
  if (!existsSync(ENV_FILE)) return;
  const { pid } = JSON.parse(readFileSync(ENV_FILE, "utf8")) as { pid?: number };
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
}
