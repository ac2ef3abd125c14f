// The command palette in Chromium: Ctrl+Shift+P lists every command with its shortcut, typing
// filters, arrows and Enter run one, a click runs one, Escape closes and gives focus back, and
// the native menu's "Command Palette…" opens it too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { paletteEntries } from '../../renderer/src/app/commandPalette';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import { startInProcessHost, type InProcessHost } from '../helpers/inProcessHost';
import type { RunningWebHost } from '../helpers/webHost';
import { openStudio, shot, waitSession } from './studio';
import { COMMAND_TITLES } from '../../shared/ui/shortcuts';

let host: InProcessHost;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  host = await startInProcessHost({ resolver: null });
  browser = await launchChromium();
  ({ page, errors } = await openStudio(browser, { url: host.url } as RunningWebHost));
  await waitSession(page, 'ready');
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const palette = () => page.getByTestId('command-palette');
const items = () => page.getByTestId('palette-item');
const focusedLabel = () =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

describe.skipIf(!chromiumAvailable())('command palette', () => {
  it('lists every command with its shortcut', async () => {
    await page.keyboard.press('Control+Shift+P');
    await expect.poll(() => palette().count()).toBe(1);
    expect(await focusedLabel()).toBe('Type a command');
    expect(await items().count()).toBe(paletteEntries().length);
    const connect = page.locator('[data-testid="palette-item"][data-command="session:connect"]');
    expect(await connect.locator('.palette-title').textContent()).toBe('Session: Connect…');
    expect(await connect.locator('kbd').allTextContents()).toEqual(['Ctrl+Shift+O']);
    const run = page.locator('[data-testid="palette-item"][data-command="session:toggle-run"]');
    expect(await run.locator('kbd').allTextContents()).toEqual(['F5', 'F6']);
    await shot(page, 'command-palette');
  });

  it('filters as you type and runs the chosen command with Enter', async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const before = await theme();
    await page.keyboard.type('theme');
    await expect.poll(() => items().count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => palette().count()).toBe(0);
    await expect.poll(theme).not.toBe(before);
  });

  it('moves with the arrows, and runs the highlighted command', async () => {
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('go to');
    // One entry per tab: every command titled "Go to: ..." in the table the palette lists.
    const tabs = Object.values(COMMAND_TITLES).filter((t) => t.startsWith('Go to:')).length;
    expect(tabs).toBeGreaterThanOrEqual(7);
    await expect.poll(() => items().count()).toBe(tabs);
    expect(await items().first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const chosen = items().nth(3);
    expect(await chosen.getAttribute('aria-selected')).toBe('true');
    expect(await chosen.getAttribute('data-command')).toBe('tab:counts');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('tab-counts').getAttribute('aria-selected'))
      .toBe('true');
  });

  it('closes with Escape and gives focus back; says when nothing matches', async () => {
    await page.getByLabel('Search actions').focus();
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('xyzzy');
    expect(await page.getByTestId('palette-none').textContent()).toMatch(/No command matches/);
    // Shortcuts do not fire under the palette: F6 would mute.
    await page.keyboard.press('F6');
    expect(await page.getByTestId('muted-badge').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => palette().count()).toBe(0);
    expect(await focusedLabel()).toBe('Search actions');
  });

  it('runs a command on a click, and opens from the native menu', async () => {
    host.host.hub.publish('app:menu', { command: 'palette:open' });
    await expect.poll(() => palette().count()).toBe(1);
    await page.locator('[data-testid="palette-item"][data-command="session:connect"]').click();
    await expect.poll(() => page.getByTestId('connection-dialog').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('connection-dialog').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
