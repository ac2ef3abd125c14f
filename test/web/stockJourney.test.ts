// The journey against a stock v0.23 build (`sim --stock`): custom code's buffer never comes back
// (spec §5.2), so the app says so and offers the action's own log form, a script derived from its
// code that prints the same record (reading the same memory), instead of waiting for records that
// cannot come; with it, process names arrive as on a patched build. No other action is offered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';
import {
  GUEST_PROCESS_NAMES,
  logCount,
  openStudio,
  selectAction,
  shot,
  shownNames,
  waitSession,
  type StudioPage,
} from './studio';

let host: RunningWebHost;
let browser: Browser;
let s: StudioPage;
let page: Page;

/**
 * The action's log form on the default 1909 guest: one HDBG1 line (buffer-records.md §2) with
 * ImageFileName's 15 bytes as two words read at $proc + 0x450 (KTHREAD.ApcState.Process is what
 * $proc reads; EPROCESS.ImageFileName is +0x450 on 1909).
 */
const LOG_FORM_LINE =
  '!syscall script {printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, 0xf, dq($proc+0x450), dq($proc+0x458));}';

beforeAll(async () => {
  host = await startWebHost(['--sim-pacing', 'fast', '--sim-stock', '--sim-seed', '3']);
  browser = await launchChromium();
  s = await openStudio(browser, host);
  page = s.page;
  await waitSession(page, 'ready');
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe.skipIf(!chromiumAvailable())('the journey on a stock build', () => {
  it('says up front that custom-code buffers never come back', async () => {
    await expect
      .poll(() => page.getByTestId('session-notice').allTextContents())
      .toContainEqual(
        expect.stringMatching(
          /stock HyperDbg build: custom code runs but its returned buffer never comes back/,
        ),
      );
    expect(await page.getByTestId('simulated-badge').isVisible()).toBe(true);
  });

  it("offers the action's own log form instead of its code, and records arrive with it", async () => {
    await selectAction(page, 'Current process ImageFileName');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    const notice = page.getByTestId('stock-notice');
    await expect.poll(() => notice.textContent()).toMatch(/will produce no records/);
    await expect
      .poll(() => notice.textContent())
      .toMatch(/Its log form \(derived from its code\) prints the same record/);
    expect(await page.getByTestId('use-log-form').textContent()).toBe('Use its log form');
    await shot(page, 'stock-offer-log-form');
    await page.getByTestId('use-log-form').click();
    await expect.poll(() => page.getByTestId('command-preview').textContent()).toBe(LOG_FORM_LINE);
    expect(await page.getByTestId('stock-notice').count()).toBe(0);
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event 1 registered/);

    await expect
      .poll(() => logCount(page, 'log-count-total'), { timeout: 20_000 })
      .toBeGreaterThan(50);
    const seen = new Set<string>();
    await expect
      .poll(async () => {
        for (const n of await shownNames(page)) seen.add(n);
        return seen.size;
      })
      .toBeGreaterThan(2);
    for (const n of seen) expect(GUEST_PROCESS_NAMES, `'${n}'`).toContain(n);
    await shot(page, 'stock-records');
  });

  it('a code action applied anyway is listed as printing nothing', async () => {
    await selectAction(page, 'Current process ImageFileName');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    await expect
      .poll(() => page.getByTestId('command-preview').textContent())
      .toMatch(/^!syscall buffer 18 code \{/);
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event 2 registered/);
    await page.getByTestId('tab-events').click();
    const code = page.locator('[data-testid="event-row"][data-event-id="2"]');
    await expect.poll(() => code.getByTestId('event-hits').textContent()).toBe('—');
    const logForm = page.locator('[data-testid="event-row"][data-event-id="1"]');
    await expect
      .poll(async () =>
        Number((await logForm.getByTestId('event-hits').textContent())?.replace(/,/g, '')),
      )
      .toBeGreaterThan(0);
    // Its records are the code action's: listed under its name, decoded with its schema.
    expect(await logForm.locator('td').nth(3).textContent()).toBe('Current process ImageFileName');
    await shot(page, 'stock-events');
    expect(s.errors).toEqual([]);
  });
});
