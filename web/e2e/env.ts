import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
import type { Page } from "@playwright/test";

export interface E2EEnv {
  url: string;
  key: string;
  data: string;
}

export function e2eEnv(): E2EEnv {
  return JSON.parse(readFileSync(resolve(here, "..", "test-results", "e2e-env.json"), "utf8")) as E2EEnv;
}

export const SCREENS_DIR = resolve(here, "..", "test-results", "screens");

/** A full-page screenshot of the current screen, after charts finished animating. */
export async function shoot(page: Page, name: string): Promise<void> {
  // Sticky bars would be drawn where the page was scrolled to: shoot from the top.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(700);
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
}
