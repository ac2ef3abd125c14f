// The renderer in Debian's Chromium through `npm run web`'s host: the live result of a contract
// method and a push stream that keeps updating.
import { describe, expect, it } from 'vitest';
import { artifactPath } from '../helpers/paths';
import { useStudio } from './studio';

const s = useStudio([], { noPage: true });

describe('renderer skeleton in Chromium', () => {
  it('shows app:info versions and a heartbeat that keeps counting', async () => {
    const page = await s.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(s.host.url);
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
    await page.goto(`${s.host.origin}/`);
    await page.getByTestId('tab-about').click();
    await expect.poll(() => page.getByTestId('host-kind').textContent()).toBe('web');
    await page.screenshot({ path: artifactPath('foundation-web.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the host as disconnected when the host goes away', async () => {
    const page = await s.browser.newPage();
    await page.goto(s.host.url);
    await expect.poll(() => page.getByTestId('host-status').getAttribute('data-state')).toBe('up');
    await s.host.stop();
    await expect
      .poll(() => page.getByTestId('host-status').textContent(), { timeout: 10_000 })
      .toBe('host: lost');
    await page.close();
  });
});
