// The live log's table in Chromium: the Context column, full action names, columns sorted by a
// header click (the host's sorted snapshot), resized by dragging their edge and hidden from the
// Columns menu (both kept across a reload), and every byte of a record in the details as a hex
// dump with offsets and ASCII.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { IngestedRecord } from '../../electron/host/log/sink';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import {
  IMAGE_ACTION,
  makeRecord,
  makeRecords,
  standardResolver,
  startInProcessHost,
  type InProcessHost,
} from '../helpers/inProcessHost';
import { artifactPath } from '../helpers/paths';

/** An action name longer than the column: 96 characters. */
const LONG_NAME =
  `${'Trace every NtCreateFile call with its caller and desired access '.repeat(2)}`.slice(0, 96);
const LONG_ACTION = { ...IMAGE_ACTION, actionId: 'act-long', actionName: LONG_NAME };

let host: InProcessHost;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  host = await startInProcessHost({
    resolver: (g, e) => (e === 4 ? LONG_ACTION : standardResolver(g, e)),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(host.url);
  await page.getByTestId('tab-log').click();
  host.sink.records(makeRecords(0, 300));
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const rows = () => page.locator('[data-testid="log-row"]');
/** Seqs of the rows on screen, top to bottom. */
async function shownSeqs(): Promise<number[]> {
  return (
    await rows().evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))))
  ).filter((s) => Number.isFinite(s));
}
const headerLabels = () =>
  page
    .locator('[data-testid="log-head"] [role="columnheader"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-column')));

describe.skipIf(!chromiumAvailable())('live log table', () => {
  it('shows each record’s Context', async () => {
    await expect
      .poll(() => page.locator('[data-testid="log-row"][data-seq="299"]').count())
      .toBe(1);
    const context = await page
      .locator('[data-testid="log-row"][data-seq="299"]')
      .getByTestId('cell-context')
      .textContent();
    expect(context).toBe(`0x${makeRecord(299).record.context.toString(16)}`);
    expect(await headerLabels()).toEqual(
      expect.arrayContaining([
        'time',
        'event',
        'core',
        'context',
        'action',
        'field:ImageFileName',
        'data',
      ]),
    );
  });

  it('gives a long action name in full: tooltip, wider column, details', async () => {
    const rec: IngestedRecord = { ...makeRecord(1), generation: 1 };
    host.sink.records([{ ...rec, record: { ...rec.record, eventId: 4 } }]);
    const row = page.locator('[data-testid="log-row"][data-seq="300"]');
    await expect.poll(() => row.count()).toBe(1);
    const cell = row.getByTestId('cell-action');
    expect(await cell.getAttribute('title')).toBe(LONG_NAME);
    // Cut on screen at the default width, whole once the column is dragged wide enough.
    expect(await cell.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    const handle = page.getByTestId('log-resize-action');
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 500, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => cell.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    expect(await cell.textContent()).toBe(LONG_NAME);
    await page.screenshot({ path: artifactPath('log-table-wide-action.png') });
    await row.click();
    await expect.poll(() => page.getByTestId('log-detail').textContent()).toContain(LONG_NAME);
    await page.keyboard.press('Escape');
  });

  it('keeps the dragged width across a reload, and resets it', async () => {
    const width = () =>
      page.locator('[data-column="action"]').evaluate((e) => e.getBoundingClientRect().width);
    const before = await width();
    expect(before).toBeGreaterThan(600);
    await page.reload();
    await page.getByTestId('tab-log').click();
    await expect.poll(() => rows().count()).toBeGreaterThan(10);
    expect(Math.abs((await width()) - before)).toBeLessThan(2);
    // Wider than the pane: the table scrolls sideways, the header with it.
    const list = page.getByTestId('log-rows');
    expect(await list.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    await page.getByTestId('log-columns').click();
    await page.getByTestId('log-columns-reset').click();
    await expect.poll(width).toBeLessThan(300);
    await page.keyboard.press('Escape');
  });

  it('sorts by a header click: ascending, descending, back to arrival order', async () => {
    const sortCore = page.getByTestId('log-sort-core');
    const head = page.locator('[data-column="core"]');
    await sortCore.click();
    await expect.poll(() => head.getAttribute('aria-sort')).toBe('ascending');
    await expect
      .poll(() => page.getByTestId('log-sort-status').textContent())
      .toMatch(/sorted by core/);
    // The top rows: every core-0 record in arrival order (seq % 4 === 0), from the first.
    await expect.poll(async () => (await shownSeqs()).slice(0, 5)).toEqual([0, 4, 8, 12, 16]);
    await sortCore.click();
    await expect.poll(() => head.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(async () => (await shownSeqs()).slice(0, 5)).toEqual([3, 7, 11, 15, 19]);
    // A snapshot: records that arrive now are counted, not sorted in.
    host.sink.records(makeRecords(301, 20));
    await expect
      .poll(() => page.getByTestId('log-sort-status').textContent())
      .toMatch(/20 newer not in it/);
    await page.screenshot({ path: artifactPath('log-table-sorted.png') });
    await sortCore.click();
    await expect.poll(() => head.getAttribute('aria-sort')).toBe('none');
    expect(await page.getByTestId('log-sort-status').count()).toBe(0);
    // Arrival order follows the newest record again.
    await expect
      .poll(() => page.locator('[data-testid="log-row"][data-seq="320"]').count())
      .toBe(1);
  });

  it('sorts a decoded field as text and its numbers by value', async () => {
    await page.getByTestId('log-sort-field:ImageFileName').click();
    await expect
      .poll(async () => page.getByTestId('cell-ImageFileName').first().textContent())
      .toBe('MsMpEng.exe');
    await page.getByTestId('log-sort-clear').click();
    await expect.poll(() => page.getByTestId('log-sort-status').count()).toBe(0);
  });

  it('hides and shows columns from the Columns menu, kept across a reload', async () => {
    await page.getByTestId('log-columns').click();
    await page.getByTestId('log-column-core').uncheck();
    await page.getByTestId('log-column-data').uncheck();
    await expect.poll(headerLabels).not.toContain('core');
    expect(await headerLabels()).not.toContain('data');
    expect(await page.getByTestId('log-columns').textContent()).toBe('Columns (2 hidden)');
    await page.screenshot({ path: artifactPath('log-table-columns-menu.png') });
    await page.reload();
    await page.getByTestId('tab-log').click();
    await expect.poll(() => rows().count()).toBeGreaterThan(10);
    expect(await headerLabels()).not.toContain('core');
    await page.getByTestId('log-columns').click();
    await page.getByTestId('log-column-core').check();
    await page.getByTestId('log-column-data').check();
    await expect.poll(headerLabels).toContain('core');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('log-columns-menu').count()).toBe(0);
  });

  it('shows every byte of a record in the details: offsets, hex, ASCII', async () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i < 26 ? 0x41 + i : i * 7));
    host.sink.records([
      {
        receivedAt: Date.now(),
        generation: 1,
        record: { eventId: 3, core: 2, context: 0x1234n, length: bytes.length, bytes },
      },
    ]);
    const row = page.locator('[data-testid="log-row"][data-seq="321"]');
    await expect.poll(() => row.count()).toBe(1);
    await row.click();
    const lines = page.getByTestId('log-hexdump-line');
    const cells = async (n: number) => lines.nth(n).locator(':scope > span').allTextContents();
    const hexOf = (from: number, to: number) =>
      Array.from(bytes.subarray(from, to), (b) => b.toString(16).padStart(2, '0'));
    const asciiOf = (from: number, to: number) =>
      Array.from(bytes.subarray(from, to), (b) =>
        b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.',
      ).join('');
    // 8 bytes a line where the pane is narrow (WinDbg's db layout at half width).
    await expect.poll(() => lines.count()).toBe(Math.ceil(100 / 8));
    expect(await page.getByTestId('log-hexdump').getAttribute('data-per-line')).toBe('8');
    expect(await cells(0)).toEqual(['0000', hexOf(0, 8).join(' '), 'ABCDEFGH']);
    expect(await cells(12)).toEqual([
      '0060',
      hexOf(96, 100).join(' ').padEnd(23),
      asciiOf(96, 100),
    ]);
    // 16 a line, like db, where it is wide enough; the ASCII column shows printable bytes only.
    await page.setViewportSize({ width: 1920, height: 1000 });
    await expect.poll(() => lines.count()).toBe(Math.ceil(100 / 16));
    expect(await cells(0)).toEqual([
      '0000',
      '41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50',
      'ABCDEFGHIJKLMNOP',
    ]);
    const last = await cells(6);
    expect(last[0]).toBe('0060');
    expect(last[1]?.trimEnd()).toBe(hexOf(96, 100).join(' '));
    expect(last[2]).toBe(asciiOf(96, 100));
    await page.screenshot({ path: artifactPath('log-table-hexdump.png') });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1400, height: 900 });
    expect(errors).toEqual([]);
  });
});
