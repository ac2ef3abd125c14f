// Laptop screens in Chromium (1024x700 and 1280x720) while records stream in: the header stays
// one line, the live log shows at least ten whole rows and its status line, uncovered, whatever
// split was saved; notices sit in the status bar and never cover a pane.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import {
  startFeed,
  startInProcessHost,
  type Feed,
  type InProcessHost,
} from '../helpers/inProcessHost';
import { artifactPath } from '../helpers/paths';

let host: InProcessHost;
let browser: Browser;
let feed: Feed;

beforeAll(async () => {
  host = await startInProcessHost();
  browser = await launchChromium();
  feed = startFeed(host.sink, 200);
});
afterAll(async () => {
  feed?.stop();
  await browser?.close();
  await host?.stop();
});

type Box = { top: number; bottom: number; left: number; right: number };
const box = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((e): Box => {
    const r = e.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  });

/** Rows of the log wholly inside its scroll area. */
const wholeRows = (page: Page) =>
  page.getByTestId('log-rows').evaluate((list) => {
    const l = list.getBoundingClientRect();
    return [...list.querySelectorAll('[data-testid="log-row"]')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= l.top - 0.5 && b.bottom <= l.bottom + 0.5;
    }).length;
  });

/** Whether what is drawn at the middle of this element is the element (or inside it). */
const uncovered = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((e) => {
    const r = e.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + Math.min(40, r.width / 2), r.top + r.height / 2);
    return top !== null && e.contains(top);
  });

describe.skipIf(!chromiumAvailable())('small screens', () => {
  for (const [width, height] of [
    [1024, 700],
    [1280, 720],
  ] as const) {
    it(`${width}x${height}: ten log rows and the status line, notices in the status bar`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      // The editor dragged to take as much as it may: the log keeps its ten rows anyway.
      await page.addInitScript(() => localStorage.setItem('hds.mainShare', '0.8'));
      await page.goto(host.url);
      await page.getByTestId('tab-log').click();
      await expect.poll(() => wholeRows(page)).toBeGreaterThanOrEqual(10);
      expect((await box(page, 'log-status')).bottom).toBeLessThanOrEqual(height);
      expect(await uncovered(page, 'log-status')).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(
        height,
      );
      // The header is one line.
      expect(
        await page.locator('.header').evaluate((e) => e.getBoundingClientRect().height),
      ).toBeLessThan(44);

      // Two notices: the newest shows in the status bar, the other behind "+1 more".
      const selected = page.locator('.action-row.selected');
      await selected.getByRole('button', { name: 'Duplicate' }).click();
      await expect
        .poll(() => page.getByTestId('toast').last().textContent())
        .toMatch(/Duplicated as/);
      await page.locator('.action-row.selected').getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => page.getByTestId('toast').last().textContent()).toMatch(/^Deleted/);
      expect(await page.getByTestId('toast').count()).toBe(1);
      expect(await page.getByTestId('notice-more').textContent()).toBe('+1 more');
      const toast = await box(page, 'toast');
      const bar = await box(page, 'statusbar');
      const regions = await page
        .locator('.regions')
        .evaluate((e) => e.getBoundingClientRect().bottom);
      expect(toast.top).toBeGreaterThanOrEqual(bar.top);
      expect(toast.bottom).toBeLessThanOrEqual(bar.bottom);
      expect(regions).toBeLessThanOrEqual(bar.top);
      expect(await uncovered(page, 'log-status')).toBe(true);
      expect(await wholeRows(page)).toBeGreaterThanOrEqual(10);
      await page.screenshot({ path: artifactPath(`small-screen-${width}x${height}.png`) });
      // Undo from the status bar puts the action back.
      await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
      await expect.poll(() => page.getByTestId('toast').last().textContent()).toMatch(/^Restored/);
      await page.close();
    });
  }
});
