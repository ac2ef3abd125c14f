// The journey a HyperDbg user came for, start to end, in Chromium against the real web host and
// the simulator (fast pacing, so no backlog blurs when records start and stop): open, see the
// simulator connected with its Windows build detected (the build probe is event 0), pick the
// seed's "current process ImageFileName" action, bind it to !syscall with its offsets resolved for
// that build, apply, watch records with real process names arrive, filter to one process, pause
// the view and see the hidden count grow, resume, export, disable the event and see records
// stop, clear it; then kill the CLI and see the session lost with every record kept, reconnect.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../helpers/browser';
import {
  GUEST_PROCESS_NAMES,
  journeySteps,
  logCount,
  selectAction,
  shot,
  shownNames,
  simulatorPids,
  useStudio,
  waitSession,
} from './studio';

const s = useStudio(['--sim-pacing', 'fast', '--sim-seed', '11']);
let page: Page;

/**
 * The seed's ImageFileName action as a command line on the default 1909 guest: its named fields
 * resolve to the seed's own bytes (+0x450) and `buffer 18` (0x18 bytes).
 */
const SEED_LINE = '!syscall buffer 18 code {65488B042588010000488B80B8000000480550040000C3}';

beforeAll(() => {
  page = s.page;
});

/** A number once it has not moved for a second. */
async function stable(p: Page, read: () => Promise<number>): Promise<number> {
  let last = -1;
  for (let i = 0; i < 20; i++) {
    const now = await read();
    if (now === last) return now;
    last = now;
    await p.waitForTimeout(1000);
  }
  throw new Error(`the count never settled (last ${last})`);
}

const eventRow = (id: string) => page.locator(`[data-testid="event-row"][data-event-id="${id}"]`);

describe.skipIf(!chromiumAvailable())('the journey: ImageFileName on !syscall', () => {
  const step = journeySteps();

  step('opens on the simulator, connected and labelled as simulated', async () => {
    await waitSession(page, 'ready');
    expect(await page.getByTestId('simulated-badge').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('log-empty').textContent()).toMatch(/No records yet/);
  });

  step('binds the seed action to !syscall: the exact command line, then applies it', async () => {
    await expect
      .poll(() => page.getByTestId('target-build').getAttribute('data-build'))
      .toBe('18363');
    await selectAction(page, 'Current process ImageFileName');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    const binder = page.getByTestId('event-binder');
    await expect.poll(() => binder.getByTestId('binder-kind').inputValue()).toBe('!syscall');
    await expect.poll(() => page.getByTestId('command-preview').textContent()).toBe(SEED_LINE);
    expect(await binder.getByTestId('kind-info').textContent()).toMatch(
      /Context: RAX at the SYSCALL instruction: the system-call number/,
    );
    await shot(page, 'journey-binder');
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event 1 registered/);
  });

  step('shows records arriving with the names of the guest’s processes', async () => {
    await expect
      .poll(() => logCount(page, 'log-count-total'), { timeout: 20_000 })
      .toBeGreaterThan(200);
    // Names as the table shows them while it follows the tail: all from the guest, several.
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          for (const n of await shownNames(page)) seen.add(n);
          return seen.size;
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(3);
    for (const n of seen) expect(GUEST_PROCESS_NAMES, `'${n}'`).toContain(n);
    await shot(page, 'journey-records');

    // The event list shows where the records come from, and how many.
    await page.getByTestId('tab-events').click();
    const row = eventRow('1');
    await expect.poll(() => row.getAttribute('data-state')).toBe('active');
    // As sent: with the app's record sink (docs/hyperdbg-v0.23.md §6.4).
    expect(await row.locator('td').nth(2).textContent()).toMatch(
      /^!syscall buffer 18 output \{hds_[0-9a-f]{8}\} code \{65488B042588010000488B80B8000000480550040000C3\}$/,
    );
    expect(await row.locator('td').nth(3).textContent()).toBe('Current process ImageFileName');
    await expect
      .poll(async () =>
        Number((await row.getByTestId('event-hits').textContent())?.replace(/,/g, '')),
      )
      .toBeGreaterThan(100);
    await expect.poll(() => row.getByTestId('event-rate').textContent()).toMatch(/^[\d,.]+\/s$/);
    await shot(page, 'journey-events');
    await page.getByTestId('tab-log').click();
  });

  step('filters to one process', async () => {
    await page.getByTestId('log-filter-field').selectOption('ImageFileName');
    await page.getByTestId('log-filter-value').fill('explorer.exe');
    await page.getByTestId('log-filter-add').click();
    await expect.poll(() => logCount(page, 'log-count-shown')).toBeGreaterThan(0);
    await expect
      .poll(async () => new Set(await shownNames(page)))
      .toEqual(new Set(['explorer.exe']));
    expect(await logCount(page, 'log-count-hidden')).toBeGreaterThan(0);
    await shot(page, 'journey-filtered');
  });

  step(
    'pauses the view while capture continues: the hidden count grows; resume catches up',
    async () => {
      await page.getByTestId('log-pause').click();
      await expect.poll(() => page.getByTestId('log-paused-banner').count()).toBe(1);
      const shownBefore = await logCount(page, 'log-count-shown');
      await expect
        .poll(() => logCount(page, 'log-paused-count'), { timeout: 15_000 })
        .toBeGreaterThan(0);
      const a = await logCount(page, 'log-paused-count');
      await expect
        .poll(() => logCount(page, 'log-paused-count'), { timeout: 15_000 })
        .toBeGreaterThan(a);
      expect(await logCount(page, 'log-count-shown')).toBe(shownBefore);
      await shot(page, 'journey-paused');
      await page.getByTestId('log-pause').click();
      await expect.poll(() => page.getByTestId('log-paused-banner').count()).toBe(0);
      await expect.poll(() => logCount(page, 'log-count-shown')).toBeGreaterThan(shownBefore);
    },
  );

  step('exports the filtered records', async () => {
    await page.getByTestId('log-export-jsonl').click();
    await expect.poll(() => page.getByTestId('log-export-result').count()).toBe(1);
    const path = (await page.getByTestId('log-export-path').textContent()) ?? '';
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines.slice(0, 50)) expect(l).toContain('"explorer.exe"');
  });

  step('disables the event and records stop; then clears it', async () => {
    await page.getByTestId('tab-events').click();
    await eventRow('1').getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => eventRow('1').getAttribute('data-state')).toBe('disabled');
    // Fast pacing: nothing is queued behind the event, so the counts settle within moments
    // (what was already on its way is kept) and then stay put: the event's hits here, the
    // log's total there.
    const hits = async () =>
      Number((await eventRow('1').getByTestId('event-hits').textContent())?.replace(/,/g, ''));
    const settledHits = await stable(page, hits);
    await page.waitForTimeout(2000);
    expect(await hits()).toBe(settledHits);
    await page.getByTestId('tab-log').click();
    const settled = await stable(page, () => logCount(page, 'log-count-total'));
    await page.waitForTimeout(2000);
    expect(await logCount(page, 'log-count-total')).toBe(settled);
    await page.getByTestId('tab-events').click();
    await shot(page, 'journey-disabled');
    await eventRow('1').getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => eventRow('1').getAttribute('data-state')).toBe('cleared');
    expect(await logCount(page, 'log-count-total')).toBe(settled);
  });

  step(
    'a CLI crash shows the session lost with every record kept; Reconnect starts it again',
    async () => {
      // Records flowing again, so the crash happens mid-stream.
      await page.getByTestId('tab-binder').click();
      await page.getByTestId('apply-binding').click();
      await expect
        .poll(() => page.getByTestId('toast').last().textContent())
        .toMatch(/Event 2 registered/);
      const before = await logCount(page, 'log-count-total');
      await expect.poll(() => logCount(page, 'log-count-total')).toBeGreaterThan(before + 100);
      const [pid] = simulatorPids(s.host.child.pid as number);
      process.kill(pid as number, 'SIGKILL');
      await waitSession(page, 'lost');
      await page.waitForTimeout(500);
      const kept = await logCount(page, 'log-count-total');
      expect(kept).toBeGreaterThan(before + 100);
      await page.getByTestId('tab-log').click();
      await page.getByTestId('log-filter-clear').click();
      await expect.poll(() => logCount(page, 'log-count-shown')).toBe(kept);
      await expect.poll(async () => (await shownNames(page)).length).toBeGreaterThan(5);
      await shot(page, 'journey-lost');

      await page.getByTestId('session-lost').getByRole('button', { name: 'Reconnect' }).click();
      await waitSession(page, 'ready');
      // A new CLI process: its events start from 0 again (the build probe takes it and is
      // cleared), and the old records are still there.
      await page.getByTestId('tab-events').click();
      await expect
        .poll(() =>
          page
            .getByTestId('event-row')
            .evaluateAll((rows) =>
              rows.map((r) => `${r.getAttribute('data-event-id')}:${r.getAttribute('data-state')}`),
            ),
        )
        .toEqual(['0:cleared']);
      expect(await logCount(page, 'log-count-total')).toBeGreaterThanOrEqual(kept);
      expect(s.errors).toEqual([]);
    },
  );
});
