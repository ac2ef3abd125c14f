// Honest connection state in Chromium: a killed web host shows as lost in the header within 2 s
// (the session's last state is no longer claimed); a new host on the same port with a new token
// is named as such, with what to do; a stopped (SIGSTOP) host shows as not responding and
// recovers; a host that comes back with the same access is reconnected to by itself.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createHost } from '../../electron/host/composition';
import { newToken } from '../../electron/web/auth';
import { startWebServer } from '../../electron/web/server';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import { distDir, tempDir } from '../helpers/paths';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';
import { shot, simulatorPids, waitSession } from './studio';
import { join } from 'node:path';

let browser: Browser;
const hosts: RunningWebHost[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const h of hosts) {
    if (h.child.signalCode === 'SIGSTOP' || h.child.exitCode === null) h.child.kill('SIGCONT');
    await h.stop();
  }
});

const hostState = (page: Page) => page.getByTestId('host-status').getAttribute('data-state');

/** Pids of processes whose command line names this data folder (simulators of a killed host). */
function leftovers(dataDir: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(dataDir)) out.push(Number(e));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

describe.skipIf(!chromiumAvailable())('host lost, restarted, stopped', () => {
  it('shows a killed host as lost within 2 s, then a restarted one as needing its new URL', async () => {
    const first = await startWebHost(['--sim-pacing', 'fast']);
    hosts.push(first);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(first.url);
    await waitSession(page, 'ready');
    await expect.poll(() => hostState(page)).toBe('up');
    const sims = simulatorPids(first.child.pid as number);

    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await expect.poll(() => hostState(page), { interval: 20 }).toBe('lost');
    expect(Date.now() - killedAt).toBeLessThan(2000);
    // The session's last word ("connected") is not repeated: nobody can know it now.
    expect(await page.getByTestId('session-state').getAttribute('data-status')).toBe('unknown');
    expect(await page.getByTestId('session-state').textContent()).toBe('session: unknown');
    expect(await page.getByTestId('host-lost').textContent()).toMatch(/reconnects by itself/);
    expect(await page.getByTestId('disconnect-button').isDisabled()).toBe(true);
    await shot(page, 'host-lost');

    // A new host on the same port: a new token, so this page cannot use it, and says so.
    const second = await startWebHost(['--sim-pacing', 'fast', '--port', String(first.port)]);
    hosts.push(second);
    expect(second.port).toBe(first.port);
    expect(second.token).not.toBe(first.token);
    await expect.poll(() => hostState(page), { timeout: 10_000 }).toBe('refused');
    const banner = await page.getByTestId('host-restarted').textContent();
    expect(banner).toContain(`127.0.0.1:${first.port}`);
    expect(banner).toMatch(/new access token/);
    expect(banner).toMatch(/Open the URL it printed/);
    await shot(page, 'host-restarted');
    // Its URL works.
    await page.goto(second.url);
    await waitSession(page, 'ready');
    expect(await hostState(page)).toBe('up');
    await page.close();
    // The killed host's simulator went with it (its pty closed).
    await expect
      .poll(() => sims.filter((p) => readdirSync('/proc').includes(String(p))).length, {
        timeout: 10_000,
      })
      .toBe(0);
    expect(leftovers(first.dataDir)).toEqual([]);
  });

  it('shows a stopped host as not responding, and up again when it continues', async () => {
    const h = await startWebHost(['--sim-pacing', 'fast']);
    hosts.push(h);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(h.url);
    await waitSession(page, 'ready');
    await expect.poll(() => hostState(page)).toBe('up');
    const stoppedAt = Date.now();
    h.child.kill('SIGSTOP');
    try {
      await expect.poll(() => hostState(page), { interval: 20 }).toBe('unresponsive');
      // One heartbeat a second: at most one beat's wait plus the 1.75 s without one.
      expect(Date.now() - stoppedAt).toBeLessThan(3000);
      expect(await page.getByTestId('host-unresponsive').isVisible()).toBe(true);
      await shot(page, 'host-unresponsive');
    } finally {
      h.child.kill('SIGCONT');
    }
    await expect.poll(() => hostState(page)).toBe('up');
    await waitSession(page, 'ready');
    await page.close();
  });

  it('reconnects by itself to a host that comes back on the same port with the same access', async () => {
    const dataDir = tempDir();
    const host = await createHost({ hostKind: 'web', dataDir, appVersion: '0.0.0-test' });
    const token = newToken();
    const serve = (port: number) =>
      startWebServer({
        handlers: host.handlers,
        hub: host.hub,
        rendererDir: join(distDir, 'renderer'),
        token,
        port,
        exportsDir: host.log.exportsDir,
      });
    let server = await serve(0);
    const port = server.port;
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    try {
      await page.goto(server.url);
      await waitSession(page, 'ready');
      await server.close();
      await expect.poll(() => hostState(page), { interval: 20 }).toBe('lost');
      server = await serve(port);
      // No reload: the page finds it within its 2 s retry and reads the session again.
      await expect.poll(() => hostState(page), { timeout: 5000 }).toBe('up');
      await waitSession(page, 'ready', 5000);
      expect(await page.getByTestId('host-lost').count()).toBe(0);
      const seq = async () =>
        Number((await page.getByTestId('host-status').getAttribute('data-heartbeat-seq')) || 0);
      const beat = await seq();
      await expect.poll(seq).toBeGreaterThan(beat);
    } finally {
      await page.close();
      await server.close();
      await Promise.resolve(host.handlers['session:disconnect']({}, { transport: 'memory' })).catch(
        () => undefined,
      );
      await host.dispose();
    }
  });
});
