// The delivery plan's Measure button on a stock target at realistic pacing: before any event of
// the action runs, the plan can only guess the rate; Measure binds a probe that counts the event's
// triggers in the target for 3 s (a one-slot table printed at 1, 2, 4, 7, 11... triggers), clears
// it, and the plan then works from that measured rate and recommends for it. The probe shows in
// Events as the app's own, cleared.
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../helpers/browser';
import { journeySteps, selectAction, shot, useStudio, waitBuild } from './studio';

const s = useStudio(
  ['--sim-pacing', 'realistic', '--sim-stock', '--sim-seed', '5', '--sim-rate', '5000'],
  { ready: true },
);
let page: Page;

beforeAll(async () => {
  page = s.page;
  await waitBuild(page);
});

describe.skipIf(!chromiumAvailable())('measuring an event rate before binding', () => {
  const step = journeySteps();

  step(
    'the plan guesses until measured, then plans for the measured rate',
    async () => {
      await selectAction(page, 'Current process ImageFileName');
      await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
      await page.getByTestId('use-log-form').click();
      const source = page.getByTestId('plan-rate-source');
      await expect.poll(() => source.textContent()).toMatch(/^expected \(a guess/);
      const guess = Number(await page.getByTestId('plan-rate').getAttribute('placeholder'));

      await page.getByTestId('plan-measure').click();
      await expect.poll(() => page.getByTestId('plan-measure').textContent()).toMatch(/Measuring/);
      await expect
        .poll(() => source.textContent(), { timeout: 15_000 })
        .toMatch(/^measured \(counted in the target for 3 s by event 1, cleared\)$/);
      const measured = Number(await page.getByTestId('plan-rate').getAttribute('placeholder'));
      // The simulator at --rate 5000 makes about 2,000 syscalls/s; the guess was another number.
      expect(measured).toBeGreaterThan(1200);
      expect(measured).toBeLessThan(4000);
      expect(measured).not.toBe(guess);
      // At that rate one record per packet loses almost all; the plan says so and recommends.
      const perEvent = page.locator('[data-testid="plan-row"][data-strategy="per-event"]');
      expect(await perEvent.getByTestId('plan-loses').textContent()).toMatch(/\((9\d)%\)$/);
      expect(await page.locator('[data-testid="plan-row"][data-recommended="true"]').count()).toBe(
        1,
      );
      await shot(page, 'plan-measured');

      // Taking the batched row binds the K that row names, for the measured rate.
      const batchedRow = page.locator('[data-testid="plan-row"][data-strategy="batched"]');
      const k = Number(
        /(\d+) per packet/.exec((await batchedRow.textContent()) ?? '')?.[1] ?? Number.NaN,
      );
      expect(k).toBeGreaterThan(10);
      await page.getByTestId('plan-use-batched').click();
      await expect.poll(() => page.getByTestId('binder-batch-size').inputValue()).toBe(String(k));
      const preview = (await page.getByTestId('command-preview').textContent()) ?? '';
      expect(preview.split('HDBG2 ').length - 1).toBe(k);

      // The probe was the app's own event, and it is gone.
      await page.getByTestId('tab-events').click();
      const probe = page.locator('[data-testid="event-row"][data-event-id="1"]');
      await expect.poll(() => probe.getAttribute('data-state')).toBe('cleared');
      expect(await probe.textContent()).toMatch(/rate probe \(Current process ImageFileName\)/);
      // Counts names its count as the probe's, not as a table of counts by key.
      await page.getByTestId('tab-counts').click();
      await expect
        .poll(() => page.getByTestId('target-probe').textContent())
        .toMatch(
          /^rate probe \(Current process ImageFileName\) · event 1: [\d,]+ triggers counted/,
        );
      expect(await page.getByTestId('target-table').count()).toBe(0);
      expect(s.errors).toEqual([]);
    },
    60_000,
  );
});
