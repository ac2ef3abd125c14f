// The first run in Chromium opens the library on an action usable in the mode it starts in:
// VMI mode on the simulator cannot break to the debugger (spec §3.7), so not "Break to the
// debugger" but the featured custom-code action; on a simulated stock build, whose custom code
// returns no buffer, the same action, whose binder offers its derived log form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';
import { openStudio, shot, waitSession } from './studio';

let browser: Browser;
const hosts: RunningWebHost[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const h of hosts) await h.stop();
});

async function firstPick(args: string[]) {
  const host = await startWebHost(['--sim-pacing', 'fast', ...args]);
  hosts.push(host);
  const { page, errors } = await openStudio(browser, host, { width: 1280, height: 720 });
  await waitSession(page, 'ready');
  const selected = page.locator('.action-row.selected');
  await expect.poll(() => selected.count()).toBe(1);
  await expect.poll(() => page.getByTestId('session-mode').textContent()).toMatch(/VMI mode/);
  return { page, errors, name: () => selected.getAttribute('data-action-name') };
}

describe.skipIf(!chromiumAvailable())('first run', () => {
  it('opens a custom-code action in VMI mode on the simulator, not the break', async () => {
    const { page, errors, name } = await firstPick([]);
    await expect.poll(name).toBe('Current process ImageFileName');
    expect(await page.getByTestId('action-editor').getAttribute('aria-label')).toMatch(
      /^Edit Current process ImageFileName/,
    );
    await shot(page, 'first-run');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the same action on a simulated stock build, where the binder offers its log form', async () => {
    const { page, name } = await firstPick(['--sim-stock']);
    await expect.poll(name).toBe('Current process ImageFileName');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    await expect
      .poll(() => page.getByTestId('stock-notice').textContent())
      .toMatch(/Its log form \(derived from its code\) prints the same record/);
    expect(await page.getByTestId('use-log-form').isVisible()).toBe(true);
    await page.close();
  });
});
