// The Live log and Counts panes in Debian's Chromium through the real web host, running in this
// process so the test feeds records straight into the log's sink (the session engine's seat):
// decoded records appear, follow-tail, a field filter, pause with the hidden count growing while
// records keep coming, resume, export and download, the record's bytes, the counts.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  eventOf,
  makeRecords,
  processNameOf,
  startFeed,
  startInProcessHost,
} from '../helpers/inProcessHost';
import { artifactPath } from '../helpers/paths';
import { useStudio } from './studio';

const s = useStudio(() => startInProcessHost(), { viewport: { width: 1400, height: 900 } });
let page: Page;

beforeAll(async () => {
  page = s.page;
  await page.getByTestId('tab-log').click();
});

const count = async (id: string) =>
  Number(((await page.getByTestId(id).textContent()) ?? '').replace(/[^0-9]/g, ''));

describe('live log in Chromium', () => {
  it('shows records decoded through their schema, the ImageFileName as text', async () => {
    await expect.poll(() => page.getByTestId('log-empty').textContent()).toMatch(/No records yet/);
    s.host.sink.records(makeRecords(0, 200));
    await expect.poll(() => count('log-count-total')).toBe(200);
    // Follow-tail: the newest record is on screen.
    const last = page.locator('[data-testid="log-row"][data-seq="199"]');
    await expect.poll(() => last.count()).toBe(1);
    expect(eventOf(199)).toBe(1);
    await expect
      .poll(() => last.getByTestId('cell-ImageFileName').textContent())
      .toBe(processNameOf(199));
    await page.screenshot({ path: artifactPath('live-log-decoded.png') });
    // A record no action explains shows its bytes as hex (the action filter finds them).
    await page.getByTestId('log-filter-action').selectOption({ label: '(no action: hex)' });
    const hexSeqs = Array.from({ length: 200 }, (_, i) => i).filter((i) => eventOf(i) === 3);
    await expect.poll(() => count('log-count-shown')).toBe(hexSeqs.length);
    const hexRow = page.locator(`[data-testid="log-row"][data-seq="${hexSeqs.at(-1)}"]`);
    await expect
      .poll(() => hexRow.getByTestId('cell-data').textContent())
      .toMatch(/^([0-9a-f]{2} )+[0-9a-f]{2}$/);
    await page.getByTestId('log-filter-clear').click();
    await expect.poll(() => count('log-count-shown')).toBe(200);
  });

  it('follows the tail while records stream in, and stops following when scrolled up', async () => {
    const feed = startFeed(s.host.sink, 2000, { from: 200, limit: 3000 });
    await expect.poll(() => count('log-count-total'), { timeout: 15_000 }).toBe(3200);
    feed.stop();
    await expect
      .poll(() => page.locator('[data-testid="log-row"][data-seq="3199"]').count())
      .toBe(1);
    expect(await page.getByTestId('log-follow').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('log-rows').focus();
    await page.getByTestId('log-rows').evaluate((el) => (el.scrollTop = 0));
    await expect
      .poll(() => page.getByTestId('log-follow').getAttribute('aria-pressed'))
      .toBe('false');
    s.host.sink.records(makeRecords(3200, 100));
    await expect.poll(() => count('log-count-total')).toBe(3300);
    // Not following: the first records stay on screen.
    expect(await page.locator('[data-testid="log-row"][data-seq="0"]').count()).toBe(1);
    await page.keyboard.press('End');
    await expect
      .poll(() => page.locator('[data-testid="log-row"][data-seq="3299"]').count())
      .toBe(1);
  });

  it('filters by a decoded field value and counts what the filter hides', async () => {
    await page.getByTestId('log-filter-field').selectOption('ImageFileName');
    await page.getByTestId('log-filter-value').fill('chrome.exe');
    await page.getByTestId('log-filter-add').click();
    const want = Array.from({ length: 3300 }, (_, i) => i).filter(
      (i) => eventOf(i) === 1 && processNameOf(i) === 'chrome.exe',
    ).length;
    await expect.poll(() => count('log-count-shown')).toBe(want);
    await expect.poll(() => count('log-count-hidden')).toBe(3300 - want);
    // Rows of the new filter arrive with their page: then every name shown is the one filtered.
    await expect
      .poll(async () => [
        ...new Set(await page.getByTestId('cell-ImageFileName').allTextContents()),
      ])
      .toEqual(['chrome.exe']);
    expect(await page.getByTestId('log-chip').first().textContent()).toMatch(
      /ImageFileName == "chrome.exe"/,
    );
    await page.screenshot({ path: artifactPath('live-log-filtered.png') });
  });

  it('pauses the view while capture continues, the hidden count grows; resume catches up', async () => {
    const before = await count('log-count-shown');
    await page.getByTestId('log-pause').click();
    await expect.poll(() => page.getByTestId('log-paused-banner').count()).toBe(1);
    const feed = startFeed(s.host.sink, 3000, { from: 3300 });
    try {
      await expect.poll(() => count('log-paused-count'), { timeout: 15_000 }).toBeGreaterThan(20);
      const a = await count('log-paused-count');
      await expect.poll(() => count('log-paused-count'), { timeout: 15_000 }).toBeGreaterThan(a);
      // Paused: the table holds still.
      expect(await count('log-count-shown')).toBe(before);
      await page.screenshot({ path: artifactPath('live-log-paused.png') });
    } finally {
      feed.stop();
    }
    const total = 3300 + feed.sent;
    await expect.poll(() => count('log-count-total')).toBe(total);
    await page.keyboard.press('p'); // the shortcut resumes, as the button does
    await expect.poll(() => page.getByTestId('log-paused-banner').count()).toBe(0);
    const want = Array.from({ length: total }, (_, i) => i).filter(
      (i) => eventOf(i) === 1 && processNameOf(i) === 'chrome.exe',
    ).length;
    await expect.poll(() => count('log-count-shown')).toBe(want);
    // Caught up and following: the newest match is on screen.
    const newest = Array.from({ length: total }, (_, i) => i)
      .reverse()
      .find((i) => eventOf(i) === 1 && processNameOf(i) === 'chrome.exe') as number;
    await expect
      .poll(() => page.locator(`[data-testid="log-row"][data-seq="${newest}"]`).count())
      .toBe(1);
  });

  it('exports the filter to CSV and offers it for download in browser mode', async () => {
    const shown = await count('log-count-shown');
    await page.getByTestId('log-export-csv').click();
    await expect.poll(() => page.getByTestId('log-export-result').count()).toBe(1);
    const path = (await page.getByTestId('log-export-path').textContent()) ?? '';
    expect(path).toContain(s.host.dataDir);
    const text = readFileSync(path, 'utf8');
    expect(text.split('\r\n').length).toBe(shown + 2);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('log-export-download').click(),
    ]);
    const saved = await download.path();
    expect(readFileSync(saved, 'utf8')).toBe(text);
    await page.screenshot({ path: artifactPath('live-log-exported.png') });
  });

  it('shows a record’s bytes on demand', async () => {
    await page.locator('[data-testid="log-row"]').last().click();
    // 0x18 bytes, 8 a line at this width: the name in hex and in the ASCII column.
    const line = (n: number) =>
      page.getByTestId('log-hexdump-line').nth(n).locator(':scope > span').allTextContents();
    await expect.poll(() => line(0)).toEqual(['0000', '63 68 72 6f 6d 65 2e 65', 'chrome.e']);
    expect(await line(1)).toEqual(['0008', '78 65 00 00 00 00 00 00', 'xe......']);
    expect(await page.getByTestId('log-hexdump-line').count()).toBe(3);
    expect(await page.getByTestId('detail-ImageFileName').textContent()).toBe('chrome.exe');
    await page.screenshot({ path: artifactPath('live-log-detail.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('log-detail').count()).toBe(0);
  });

  it('stays usable in a small window and in the light theme', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    await page.getByTestId('tab-log').scrollIntoViewIfNeeded();
    expect(await page.getByTestId('log-pause').isVisible()).toBe(true);
    expect(await page.getByTestId('log-status').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('live-log-small-light.png'), fullPage: true });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('counts a field by value with bars and shows the rate; a value click filters the log', async () => {
    await page.getByTestId('log-filter-clear').click();
    await page.getByTestId('tab-counts').click();
    await expect.poll(() => page.getByTestId('counts-row').count()).toBeGreaterThan(3);
    const first = await page.getByTestId('counts-row').first().locator('td').first().textContent();
    // The generator gives svchost.exe the largest share (weight 1/1).
    expect(first).toBe('svchost.exe');
    expect(await page.getByTestId('rate-chart').locator('rect').count()).toBe(60);
    await page.screenshot({ path: artifactPath('counts-pane.png') });
    await page.getByTestId('counts-row').nth(1).click();
    await expect.poll(() => page.getByTestId('live-log').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('log-chip').count()).toBe(1);
    expect(s.errors).toEqual([]);
  });
});
