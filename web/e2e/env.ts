import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "@playwright/test";

export interface E2EEnv {
  url: string;
  key: string;
  data: string;
}

export function e2eEnv(): E2EEnv {
  return JSON.parse(readFileSync(resolve(__dirname, "..", "test-results", "e2e-env.json"), "utf8")) as E2EEnv;
}

export const SCREENS_DIR = resolve(__dirname, "..", "test-results", "screens");

/** A full-page screenshot of the current screen, after charts finished animating. */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(700);
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
}
