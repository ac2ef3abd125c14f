// The renderer in Debian's Chromium through `npm run web`'s host: the live result of a contract
// method and a push stream that keeps updating.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { artifactPath } from '../helpers/paths';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';

let host: RunningWebHost;
let browser: Browser;

beforeAll(async () => {
  host = await startWebHost();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('renderer skeleton in Chromium', () => {
  it('shows app:info versions and a heartbeat that keeps counting', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(host.url);
    await page.getByTestId('tab-about').click();
    await expect.poll(() => page.getByTestId('host-kind').textContent()).toBe('web');
    expect(await page.getByTestId('version-node').textContent()).toBe(process.versions.node);
    for (const name of ['better-sqlite3', 'node-pty', 'koffi', 'keystone-wasm', 'iced-x86']) {
      const version = await page.getByTestId(`version-${name}`).textContent();
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
    const seq = async () =>
      Number((await page.getByTestId('host-status').getAttribute('data-heartbeat-seq')) || 0);
    await expect.poll(seq, { timeout: 5000 }).toBeGreaterThan(0);
    const first = await seq();
    await expect.poll(seq, { timeout: 5000 }).toBeGreaterThan(first);
    // The token is only needed once: a reload without it works through the cookie.
    await page.goto(`${host.origin}/`);
    await page.getByTestId('tab-about').click();
    await expect.poll(() => page.getByTestId('host-kind').textContent()).toBe('web');
    await page.screenshot({ path: artifactPath('foundation-web.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the host as disconnected when the host goes away', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await expect.poll(() => page.getByTestId('host-status').getAttribute('data-state')).toBe('up');
    await host.stop();
    await expect
      .poll(() => page.getByTestId('host-status').textContent(), { timeout: 10_000 })
      .toBe('host: lost');
    await page.close();
  });
});
