// Debugger Mode in the header, against the simulator behind a named pipe (spec §2.3): the
// debuggee runs until paused; pause and continue are offered (not mute), the console refuses
// to type into a CLI that reads no input while the debuggee runs (spec §1.8), a 1909 debuggee
// names no build on its connect line so the binder detects it on request, and an event applied
// while it runs is registered with the debuggee left running (pause, apply, continue).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import { startWebHost, type RunningWebHost } from '../helpers/webHost';
import { logCount, openStudio, selectAction, shot, waitSession, type StudioPage } from './studio';

let host: RunningWebHost;
let browser: Browser;
let s: StudioPage;
let page: Page;

beforeAll(async () => {
  host = await startWebHost(['--sim-pacing', 'fast', '--sim-seed', '4']);
  browser = await launchChromium();
  s = await openStudio(browser, host);
  page = s.page;
  await waitSession(page, 'ready');
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const debuggee = () => page.getByTestId('debuggee-state').textContent();

describe.skipIf(!chromiumAvailable())('Debugger Mode', () => {
  it('connects the simulator in Debugger Mode: the debuggee runs, pause is offered, not mute', async () => {
    await page.getByTestId('connect-button').click();
    const dialog = page.getByTestId('connection-dialog');
    await dialog.getByLabel('Mode').selectOption('debugger');
    await dialog.getByTestId('dialog-connect').click();
    await expect
      .poll(() => page.getByTestId('session-mode').textContent(), { timeout: 20_000 })
      .toBe('Debugger Mode');
    await waitSession(page, 'ready');
    await expect.poll(debuggee).toBe('debuggee running');
    expect(await page.getByTestId('mute-button').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).isVisible()).toBe(true);
    await shot(page, 'debugger-mode-running');
  });

  it('refuses console input while the debuggee runs, saying why', async () => {
    await page.keyboard.press('Alt+6');
    await page.getByTestId('console-input').fill('.status');
    await page.getByTestId('console-input').press('Enter');
    await expect
      .poll(() => page.getByTestId('console-outcome').textContent())
      .toMatch(/the debuggee is running: hyperdbg-cli reads no input until it pauses/);
  });

  it('pauses and continues the debuggee', async () => {
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(debuggee).toBe('debuggee paused');
    await page.getByTestId('console-input').fill('.status');
    await page.getByTestId('console-input').press('Enter');
    // Spec §2.11 as the simulator answers it in Debugger Mode.
    await expect
      .poll(() => page.locator('.xterm-rows').textContent())
      .toMatch(/remote debugging - debugger \('debugger mode'\)/);
    await shot(page, 'debugger-mode-paused');
    await page.keyboard.press('F5');
    await expect.poll(debuggee).toBe('debuggee running');
  });

  it('detects the build of a debuggee whose connect line names none, on request', async () => {
    // KdGetWindowVersion sends an empty name before 20H2 (no DisplayVersion): no build.
    expect(await page.getByTestId('target-build').textContent()).toMatch(/Windows build unknown/);
    await selectAction(page, 'Current process ImageFileName');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    await expect
      .poll(() => page.getByTestId('build-unknown').textContent())
      .toMatch(/The target's Windows build is not known/);
    expect(await page.getByTestId('apply-binding').isDisabled()).toBe(true);
    await page.getByTestId('detect-build').click();
    await expect
      .poll(() => page.getByTestId('target-build').getAttribute('data-build'), { timeout: 20_000 })
      .toBe('18363');
    await expect.poll(debuggee).toBe('debuggee running');
  });

  it('applies an event while the debuggee runs, and leaves it running', async () => {
    await expect
      .poll(() => page.getByTestId('command-preview').textContent(), { timeout: 20_000 })
      .toBe('!syscall buffer 18 code {65488B042588010000488B80B8000000480550040000C3}');
    // A buffer in Debugger Mode needs `prealloc` (spec §3.5): bind the action's log form instead,
    // a script printing the same record (buffer-records.md §2, the 1909 offset +0x450).
    await page.getByTestId('binder-use-log-form').check();
    await expect
      .poll(() => page.getByTestId('command-preview').textContent())
      .toBe(
        '!syscall script {printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, 0xf, dq($proc+0x450), dq($proc+0x458));}',
      );
    await page.getByTestId('apply-binding').click();
    // Event 0 was the build probe.
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event 1 registered/);
    await expect.poll(debuggee).toBe('debuggee running');
    await expect
      .poll(() => logCount(page, 'log-count-total'), { timeout: 20_000 })
      .toBeGreaterThan(10);
    expect(s.errors).toEqual([]);
  });
});
