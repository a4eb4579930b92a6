/**
 * The dashboard in headless Chromium against real 2-node runs: the page map
 * changes colour as pingpong's pages move between nodes, pause/resume show
 * in the vCPU states, stop ends the run; echo.elf's console output appears
 * and a typed line comes back. Skips (with the reason) without /usr/bin/chromium.
 * UNUM_DASHBOARD_SCREENSHOT=FILE.png saves a screenshot of the running pingpong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissingReason, openBrowser } from './browser.js';
import { startDashboardRun, waitFor, type DashboardRun } from './dashboard-run.js';

const skip = chromiumMissingReason();
if (skip) console.log(`skipping dashboard browser tests: ${skip}`);

/** Owner class of every map cell read back from the canvas pixels: 1 where red beats blue (node1's orange), else 0. */
function canvasOwners(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const c = document.getElementById('pagemap') as HTMLCanvasElement;
    const ctx = c.getContext('2d')!;
    const img = ctx.getImageData(0, 0, c.width, c.height).data;
    const cols = Math.ceil(Math.sqrt(4096)), px = c.width / cols, out: number[] = [];
    for (let cell = 0; cell < 4096; cell++) {
      const x = Math.floor((cell % cols) * px + px / 2), y = Math.floor(Math.floor(cell / cols) * px + px / 2);
      const i = (y * c.width + x) * 4;
      out.push(img[i]! > img[i + 2]! ? 1 : 0);
    }
    return out;
  });
}

const vcpuStates = (page: Page): Promise<string[]> => page.$$eval('#vcpus tbody td.state', (tds) => tds.map((t) => t.textContent ?? ''));
const badge = (page: Page): Promise<string> => page.$eval('#vm-state', (e) => e.textContent ?? '');

describe.skipIf(skip !== undefined)('dashboard in a browser', () => {
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  beforeAll(async () => { browser = await openBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('shows pages moving between nodes, pauses, resumes and stops a 2-node pingpong', async () => {
    const run: DashboardRun = await startDashboardRun('guest/bin/pingpong.elf', ['rounds=1000000']);
    try {
      const page = await browser.context.newPage();
      await page.goto(run.url);
      await waitFor('state running', async () => ((await badge(page)) === 'running' ? true : undefined));
      // 16 MiB = 4096 units = 4096 cells: one cell per page; read the colours back from the canvas
      const seen: number[][] = [];
      const moved = await waitFor('a map cell to change owner colour', async () => {
        seen.push(await canvasOwners(page));
        const first = seen[0]!, last = seen.at(-1)!;
        const changed = last.findIndex((o, c) => o !== first[c] || seen.some((s) => s[c] !== o));
        return changed >= 0 ? changed : undefined;
      }, 40_000, 300);
      expect(moved).toBeGreaterThanOrEqual(0);
      expect(seen.some((s) => s.includes(1))).toBe(true); // node1 owns some page at some point
      const hot = await page.$$eval('#hot tbody tr[data-cell]', (rows) => rows.length);
      expect(hot).toBeGreaterThan(0);
      if (process.env.UNUM_DASHBOARD_SCREENSHOT) {
        await page.hover('#pagemap', { position: { x: 3, y: 3 } });
        await page.waitForTimeout(1000);
        await page.screenshot({ path: process.env.UNUM_DASHBOARD_SCREENSHOT, fullPage: true });
      }

      await page.click('#btn-pause');
      await waitFor('vCPUs paused', async () => {
        const s = await vcpuStates(page);
        return s.length === 2 && s.every((x) => x === 'paused') && (await badge(page)) === 'paused' ? s : undefined;
      }, 20_000);
      await page.click('#btn-resume');
      await waitFor('vCPUs running again', async () => {
        const s = await vcpuStates(page);
        return s.length === 2 && s.every((x) => x !== 'paused') && (await badge(page)) === 'running' ? s : undefined;
      }, 20_000);
      await page.click('#btn-stop');
      expect(await run.exited).toBe(1); // stopped, not finished
      expect(run.stderr()).toContain('stopped from the dashboard');
    } finally {
      await run.stop();
    }
  }, 120_000);

  it('shows the console and sends typed lines to the guest (echo.elf)', async () => {
    const run = await startDashboardRun('guest/bin/echo.elf', []);
    try {
      const page = await browser.context.newPage();
      await page.goto(run.url);
      const consoleText = (): Promise<string> => page.$eval('#console', (e) => e.textContent ?? '');
      await waitFor('echo: ready', async () => ((await consoleText()).includes('echo: ready') ? true : undefined));
      await page.fill('#console-input', 'hello from the dashboard');
      await page.press('#console-input', 'Enter');
      await waitFor('the echoed line', async () => ((await consoleText()).includes('echo: hello from the dashboard') ? true : undefined));
      await page.fill('#console-input', 'quit');
      await page.press('#console-input', 'Enter');
      expect(await run.exited).toBe(0);
      expect(run.stdout()).toContain('echo: hello from the dashboard'); // stdout still gets the guest's output
    } finally {
      await run.stop();
    }
  }, 120_000);
});
