// The browser the web host opens reaches the app through its private launch page and one-time
// code (no token on any command line): in Chromium, the page leads to the app with the token
// cookie set, and the address bar ends on `/` without any secret.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/paths';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';

let host: RunningWebHost;
let browser: Browser;
let argvFile: string;

beforeAll(async () => {
  const bin = tempDir('hds-launcher-');
  argvFile = join(bin, 'argv');
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  host = await startWebHost(['--sim-pacing', 'fast'], undefined, {
    open: true,
    env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe.runIf(process.platform === 'linux')('the launch page in Chromium', () => {
  it('opens the app with the cookie and no secret in the address bar', async () => {
    await expect.poll(() => existsSync(argvFile), { timeout: 10_000 }).toBe(true);
    const target = readFileSync(argvFile, 'utf8').trim();
    const page = await browser.newPage();
    await page.goto(target);
    await expect
      .poll(() => page.getByTestId('host-status').textContent(), { timeout: 15_000 })
      .toMatch(/host: up/);
    expect(page.url()).toBe(`${host.origin}/`);
    const cookies = await page.context().cookies(host.origin);
    expect(cookies.find((c) => c.name === 'hds_token')?.value).toBe(host.token);
    await page.close();
  });
});
