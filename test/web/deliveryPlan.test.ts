// The delivery plan before Apply, in Chromium against the stock simulator at realistic pacing
// (v0.23's reader: one packet per 30 ms, docs/hyperdbg-v0.23.md §6.1): for a fast !syscall the
// plan says one record per event would lose almost everything and recommends counting in the
// target; taken, the event prints HDBGT tables and Counts shows exact totals labelled "counted in
// the target" by process name, beside the delivered-record counts.
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../helpers/browser';
import {
  GUEST_PROCESS_NAMES,
  journeySteps,
  selectAction,
  shot,
  useStudio,
  waitBuild,
} from './studio';

const s = useStudio(['--sim-stock', '--sim-seed', '3', '--sim-rate', '5000'], { ready: true });
let page: Page;

/** VMI's reader: 1000/30 packets/s (spec §6.1), so one record per event delivers this many. */
const READER_RATE = 1000 / 30;

const row = (strategy: string) =>
  page.locator(`[data-testid="plan-row"][data-strategy="${strategy}"]`);

beforeAll(async () => {
  page = s.page;
  await waitBuild(page);
});

describe.skipIf(!chromiumAvailable())('the delivery plan', () => {
  const step = journeySteps();

  step('shows what VMI mode carries and what each strategy delivers and loses', async () => {
    await selectAction(page, 'Current process ImageFileName');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    const plan = page.getByTestId('delivery-plan');
    await plan.waitFor();
    expect(await page.getByTestId('plan-capacity').textContent()).toMatch(
      /one packet per 30 ms, about 33 packets\/s of at most 4094 characters/,
    );
    // A slow event: one record per event carries everything.
    await page.getByTestId('plan-rate').fill('10');
    await expect.poll(() => row('per-event').getAttribute('data-recommended')).toBe('true');
    expect(await row('per-event').getByTestId('plan-loses').textContent()).toBe('0.0/s (0%)');
    // A fast one: 33/s delivered, the rest overwritten in the kernel ring.
    await page.getByTestId('plan-rate').fill('2000');
    await expect.poll(() => row('counted').getAttribute('data-recommended')).toBe('true');
    const delivered = await row('per-event').getByTestId('plan-delivers').textContent();
    expect(delivered).toBe(`${READER_RATE.toFixed(0)}/s`);
    const lostPct = Math.round(((2000 - READER_RATE) / 2000) * 100);
    expect(await row('per-event').getByTestId('plan-loses').textContent()).toMatch(
      new RegExp(`\\(${lostPct}%\\)$`),
    );
    expect(await row('counted').getByTestId('plan-loses').textContent()).toBe('0.0/s (0%)');
    expect(await page.getByTestId('plan-reason').textContent()).toMatch(
      /counting in the target gives exact totals/,
    );
    await plan.scrollIntoViewIfNeeded();
    await shot(page, 'delivery-plan-fast-event');
  });

  step('takes the recommendation: the event counts in the target', async () => {
    await row('counted').getByTestId('plan-use-counted').click();
    await expect
      .poll(() => page.getByTestId('command-preview').textContent())
      .toMatch(/^!syscall script \{.*printf\("HDBGT /);
    // No custom code is sent, so nothing asks about NX memory or warns of missing records.
    expect(await page.getByTestId('nx-warning').count()).toBe(0);
    expect(await page.getByTestId('stock-notice').count()).toBe(0);
    expect(await page.getByTestId('counted-notice').textContent()).toMatch(
      /is counted in the target/,
    );
    expect(await row('counted').getByTestId('plan-chosen').textContent()).toBe('chosen');
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event 1 registered/);
  });

  step('Counts shows exact totals counted in the target, by process', async () => {
    await page.getByTestId('tab-counts').click();
    const table = page.getByTestId('target-table');
    await table.first().waitFor({ timeout: 20_000 });
    expect(await table.first().textContent()).toMatch(
      /Counted in the target · event 1 \(Current process ImageFileName\):/,
    );
    // One read of the whole table: a new one may replace it between two reads.
    const { total, keys, counts } = await table.first().evaluate((el) => {
      const num = (t: string | null | undefined) => Number((t ?? '').replace(/,/g, ''));
      const rows = [...el.querySelectorAll('[data-testid="target-row"]')];
      return {
        total: num(el.querySelector('[data-testid="target-total"]')?.textContent),
        keys: rows.map((r) => r.getAttribute('data-key') ?? ''),
        counts: rows.map((r) => num(r.querySelector('[data-testid="target-count"]')?.textContent)),
      };
    });
    expect(total).toBeGreaterThan(0);
    expect(keys.length).toBeGreaterThan(2);
    const prefixes = new Set([...GUEST_PROCESS_NAMES].map((n) => n.slice(0, 8)));
    for (const k of keys) expect(prefixes, k).toContain(k);
    // Every trigger up to the table is in exactly one row (no key beyond the table here).
    expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
    await shot(page, 'counts-counted-in-target');
  });

  step('the plan then uses the rate the target counted, exactly', async () => {
    // With the typed guess cleared, the plan takes the counted event's own rate.
    await page.getByTestId('plan-rate').fill('');
    await expect
      .poll(() => page.getByTestId('plan-rate-source').textContent(), { timeout: 10_000 })
      .toBe('observed (exact: counted in the target)');
    // --sim-rate 5000 occurrences/s, of which system calls are a large share; measured from the
    // first table on, the guest's start-up burst averages out as tables come.
    await expect
      .poll(
        async () => {
          const rate = Number(await page.getByTestId('plan-rate').getAttribute('placeholder'));
          return rate > 500 && rate < 5000 ? 'in range' : rate;
        },
        { timeout: 15_000 },
      )
      .toBe('in range');
    expect(await row('counted').getAttribute('data-recommended')).toBe('true');
    expect(s.errors).toEqual([]);
  });
});
