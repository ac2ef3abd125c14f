// The browser UI on a data folder the app cannot write: a banner says what is wrong with which
// folder, and the library still lists the built-ins (read-only).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/paths';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';
import { shot } from './studio';

let host: RunningWebHost;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  const parent = tempDir('hds-unwritable-web-');
  writeFileSync(join(parent, 'blocker'), 'not a folder');
  dataDir = join(parent, 'blocker', 'data');
  host = await startWebHost(['--sim-pacing', 'fast'], dataDir);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('unwritable data folder in the browser', () => {
  it('shows what is wrong with which folder, and the built-ins to read', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    const banner = page.getByTestId('storage-problem');
    await expect
      .poll(() => banner.textContent())
      .toContain(`The data folder ${dataDir} cannot be written`);
    expect(await banner.textContent()).toMatch(/read-only/);
    await expect
      .poll(() => page.getByText('Rewrite pool tag HDBG to HDB2').count())
      .toBeGreaterThan(0);
    await shot(page, 'unwritable-data');
    await page.close();
  });
});
