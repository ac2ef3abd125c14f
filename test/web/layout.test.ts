// The frame in Chromium: a small window (720x480) keeps every region reachable without sideways
// scrolling, the dark and light themes (keyboard and the native menu's command), the keyboard
// shortcuts, and the native menu's commands arriving on `app:menu` (the host runs in this
// process so the test can publish them as Electron's menu does).
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser';
import { startInProcessHost } from '../helpers/inProcessHost';
import { openStudio, selectAction, shot, useStudio, waitSession } from './studio';

const s = useStudio(() => startInProcessHost({ resolver: null }), { noPage: true });

describe.skipIf(!chromiumAvailable())('frame, themes and shortcuts', () => {
  it('survives a 720x480 window: no sideways scrolling, every region reachable', async () => {
    const { page, errors } = await openStudio(s.browser, s.host, { width: 720, height: 480 });
    await waitSession(page, 'ready');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      720,
    );
    for (const id of ['connect-button', 'session-state'])
      expect(await page.getByTestId(id).isVisible()).toBe(true);
    expect(await page.getByLabel('Search actions').isVisible()).toBe(true);
    await shot(page, 'small-window');
    for (const id of ['tab-binder', 'tab-log', 'tab-console']) {
      const tab = page.getByTestId(id);
      await tab.scrollIntoViewIfNeeded();
      await tab.click();
      expect(await tab.getAttribute('aria-selected')).toBe('true');
      const box = await tab.boundingBox();
      expect(box !== null && box.x >= 0 && box.x + box.width <= 720).toBe(true);
    }
    await expect.poll(() => page.getByTestId('console-input').isVisible()).toBe(true);
    await shot(page, 'small-window-console');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches themes from the keyboard and from the native menu', async () => {
    const { page } = await openStudio(s.browser, s.host);
    await waitSession(page, 'ready');
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const first = await theme();
    await page.keyboard.press('Control+Shift+L');
    await expect.poll(theme).toBe(first === 'dark' ? 'light' : 'dark');
    s.host.host.hub.publish('app:menu', { command: 'view:toggle-theme' });
    await expect.poll(theme).toBe(first);
    // The choice persists across a reload.
    if (first !== 'dark') await page.keyboard.press('Control+Shift+L');
    await expect.poll(theme).toBe('dark');
    await page.reload();
    await waitSession(page, 'ready');
    expect(await theme()).toBe('dark');
    await selectAction(page, 'Rewrite pool tag HDBG to HDB2');
    await expect.poll(() => page.getByTestId('code-listing').getAttribute('data-state')).toBe('ok');
    // The editor and the console take the theme's colours.
    const bg = await page
      .locator('.cm-editor')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(27, 30, 36)');
    await shot(page, 'dark-theme');
    await page.close();
  });

  it('runs the frequent actions from the keyboard and the menu', async () => {
    const { page, errors } = await openStudio(s.browser, s.host);
    await waitSession(page, 'ready');
    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
    await page.keyboard.press('Control+k');
    await expect.poll(focused).toBe('Search actions');
    await page.keyboard.press('Alt+2');
    await expect
      .poll(() => page.getByTestId('tab-binder').getAttribute('aria-selected'))
      .toBe('true');
    await page.keyboard.press('Alt+1');
    await expect
      .poll(() => page.getByTestId('tab-editor').getAttribute('aria-selected'))
      .toBe('true');
    await page.keyboard.press('Alt+5');
    await expect
      .poll(() => page.getByTestId('tab-events').getAttribute('aria-selected'))
      .toBe('true');
    await page.keyboard.press('Control+`');
    await expect
      .poll(() => page.getByTestId('tab-console').getAttribute('aria-selected'))
      .toBe('true');
    await expect.poll(focused).toBe('Command');
    await page.keyboard.press('F6');
    await expect.poll(() => page.getByTestId('muted-badge').count()).toBe(1);
    s.host.host.hub.publish('app:menu', { command: 'session:toggle-run' });
    await expect.poll(() => page.getByTestId('muted-badge').count()).toBe(0);
    s.host.host.hub.publish('app:menu', { command: 'session:connect' });
    await expect.poll(() => page.getByTestId('connection-dialog').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('connection-dialog').count()).toBe(0);
    s.host.host.hub.publish('app:menu', { command: 'log:export' });
    await expect.poll(() => page.getByTestId('tab-log').getAttribute('aria-selected')).toBe('true');
    // Ctrl+Alt+N: a new code action, opened in the editor.
    await page.keyboard.press('Control+Alt+n');
    await expect
      .poll(() => page.getByTestId('action-editor').getAttribute('aria-label'))
      .toBe('Edit New custom code action');
    expect(errors).toEqual([]);
    await page.close();
  });
});
