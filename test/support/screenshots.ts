// Tests that reach a state the screenshot script cannot (figures after a consume storm, a live
// camera, the PD card step) write their own pictures, at the two widths every page is looked at,
// named like the script's: `<name>-<width>.png`. Nothing is written unless the test was given a folder.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

const heights: Record<number, number> = { 1280: 900, 390: 844 };

export async function shootBothWidths(page: Page, dir: string | null | undefined, name: string, opts: { fullPage?: boolean; settleMs?: number } = {}): Promise<void> {
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: heights[width]! });
    if (opts.settleMs) await page.waitForTimeout(opts.settleMs);
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: opts.fullPage ?? false });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
