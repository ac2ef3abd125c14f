// Loss made visible, then carried (issue 10): on the stock simulator at realistic pacing (v0.23's
// reader, ~33 packets/s, a 1000-slot ring overwritten without a word, docs/hyperdbg-v0.23.md
// §6.1) the ImageFileName log form bound per event delivers ~33 records/s and the app shows what
// the ring overwrote beside every count: Events (delivered, lost, rate), the live log's status
// line and the Counts header. The binder then offers batched delivery with K from the observed
// rate; bound batched, the delivered rate rises many times over and the share lost falls.
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../helpers/browser';
import { journeySteps, selectAction, shot, useStudio, waitBuild } from './studio';

const s = useStudio(
  ['--sim-pacing', 'realistic', '--sim-stock', '--sim-seed', '4', '--sim-rate', '3000'],
  { ready: true },
);
let page: Page;

/** The reader's packets per second (docs/hyperdbg-v0.23.md §6.1), with room for timer jitter. */
const PER_EVENT_MAX_RATE = 45;

const num = (t: string | null): number => Number((t ?? '').replace(/[^0-9.]/g, ''));
const row = (id: string) => page.locator(`[data-testid="event-row"][data-event-id="${id}"]`);
/** An event's delivered rate (records/s) as the Events table shows it. */
const rateOf = async (id: string) => num(await row(id).getByTestId('event-rate').textContent());
/** An event's lost records (the number before its share). */
const lostOf = async (id: string) =>
  num(((await row(id).getByTestId('event-lost').textContent()) ?? '').split(' ')[0] ?? '');
const deliveredOf = async (id: string) =>
  num(await row(id).getByTestId('event-hits').textContent());
/** The share of an event's records lost over the next `ms`, from the Events table's totals. */
const lostShareOver = async (id: string, ms: number) => {
  const [l0, d0] = [await lostOf(id), await deliveredOf(id)];
  await page.waitForTimeout(ms);
  const [l1, d1] = [await lostOf(id), await deliveredOf(id)];
  return (l1 - l0) / Math.max(1, l1 - l0 + (d1 - d0));
};

beforeAll(async () => {
  page = s.page;
  // Event 0 is the app's build probe (applied and cleared at connect).
  await waitBuild(page);
});

describe.skipIf(!chromiumAvailable())('loss made visible, then carried by batches', () => {
  const step = journeySteps();
  let perEventShare = 0;

  step(
    'per event: about 33 records/s delivered, and the loss shown beside every count',
    async () => {
      await selectAction(page, 'Current process ImageFileName');
      await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
      await page.getByTestId('use-log-form').click();
      await expect
        .poll(() => page.getByTestId('command-preview').textContent())
        .toMatch(/^!syscall buffer 200 script \{eq\(\$buffer .* printf\("HDBG2 /);
      expect(await page.getByTestId('binder-delivery-per-event').isChecked()).toBe(true);
      await page.getByTestId('apply-binding').click();
      await expect
        .poll(() => page.getByTestId('toast').last().textContent())
        .toMatch(/Event 1 registered/);

      await page.getByTestId('tab-events').click();
      // The ring overflows within a second at this rate: gaps show as lost, most of the records.
      await expect.poll(() => lostOf('1'), { timeout: 20_000 }).toBeGreaterThan(500);
      await expect.poll(() => rateOf('1'), { timeout: 15_000 }).toBeGreaterThan(10);
      expect(await rateOf('1')).toBeLessThan(PER_EVENT_MAX_RATE);
      expect(await row('1').getByTestId('event-lost').textContent()).toMatch(/^[\d,]+ \(\d+%\)$/);
      perEventShare = await lostShareOver('1', 6000);
      expect(perEventShare).toBeGreaterThan(0.5);
      await shot(page, 'delivery-per-event-events');

      // The live log's status line and the Counts header say it too.
      await page.getByTestId('tab-log').click();
      await expect
        .poll(() => page.getByTestId('log-target-lost').textContent())
        .toMatch(/^[\d,]+ lost$/);
      expect(num(await page.getByTestId('log-target-lost').textContent())).toBeGreaterThan(500);
      await page.getByTestId('tab-counts').click();
      await expect
        .poll(() => page.getByTestId('counts-scope').textContent())
        .toMatch(/^counts of [\d,]+ delivered records matching .*; [\d,]+ lost$/);
      await shot(page, 'delivery-per-event-counts');
      // The Sessions view lists the running session with what its target lost.
      await page.getByTestId('tab-sessions').click();
      const live = page.locator('[data-testid="sessions-row"][data-live="true"]');
      await expect
        .poll(async () => num(await live.getByTestId('sessions-target-lost').textContent()))
        .toBeGreaterThan(500);
    },
    60_000,
  );

  step(
    'the binder recommends batches at this rate, with K, what it carries and its latency',
    async () => {
      await page.getByTestId('tab-binder').click();
      await expect
        .poll(() => page.getByTestId('binder-observed-rate').textContent())
        .toMatch(/^Event 1 fires about [\d,]+ times\/s/);
      expect(await page.getByTestId('binder-delivery').textContent()).toMatch(
        /recommended at this rate/,
      );
      await page.getByTestId('binder-delivery-batched').check();
      const plan = page.getByTestId('binder-batch-plan');
      await expect.poll(() => plan.textContent()).toMatch(/^K = \d+ \(from the observed rate\)/);
      const k = num(/K = (\d+)/.exec((await plan.textContent()) ?? '')?.[1] ?? '');
      expect(k).toBeGreaterThan(10);
      // Keep this K: the observed rate moves (and falls once event 1 stops), and K with it.
      await page.getByTestId('binder-batch-size').fill(String(k));
      await expect.poll(() => plan.textContent()).toMatch(new RegExp(`^K = ${k}:`));
      expect(await plan.textContent()).toMatch(
        new RegExp(
          `carries up to ${(k * 33).toLocaleString('en-US')} records/s; a record waits about \\d+ ms`,
        ),
      );
      expect(await page.getByTestId('binder-batch-partial').textContent()).toMatch(
        new RegExp(`up to ${k - 1} records sit in its globals and are never printed`),
      );
      // K record lines in one printf.
      const preview = (await page.getByTestId('command-preview').textContent()) ?? '';
      expect(preview.split('HDBG2 ').length - 1).toBe(k);
      await shot(page, 'delivery-binder-batched');

      // Stop the per-event form, and bind the batched one.
      await page.getByTestId('tab-events').click();
      await row('1').getByRole('button', { name: 'Disable' }).click();
      await expect.poll(() => row('1').getAttribute('data-state')).toBe('disabled');
      await page.getByTestId('tab-binder').click();
      await page.getByTestId('apply-binding').click();
      await expect
        .poll(() => page.getByTestId('toast').last().textContent())
        .toMatch(/Event 2 registered/);
    },
    60_000,
  );

  step(
    'batched: the delivered rate rises many times over and the share lost falls',
    async () => {
      await page.getByTestId('tab-events').click();
      // The ring still holds the per-event form's packets: once they are read or overwritten,
      // each packet carries K records.
      await expect
        .poll(() => rateOf('2'), { timeout: 60_000, interval: 1000 })
        .toBeGreaterThan(10 * PER_EVENT_MAX_RATE);
      const share = await lostShareOver('2', 8000);
      expect(share, `lost ${share} batched, ${perEventShare} per event`).toBeLessThan(
        perEventShare / 2,
      );
      await shot(page, 'delivery-batched-events');
      expect(s.errors).toEqual([]);
    },
    90_000,
  );
});
