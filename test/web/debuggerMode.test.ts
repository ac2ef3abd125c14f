// Debugger Mode in the header, against the simulator behind a named pipe (spec §2.3): the
// debuggee runs until paused; pause and continue are offered (not mute), the console refuses
// to type into a CLI that reads no input while the debuggee runs (spec §1.8), a 1909 debuggee
// names no build on its connect line so the binder detects it on request, and an event applied
// while it runs is registered with the debuggee left running (pause, apply, continue).
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../helpers/browser';
import { journeySteps, logCount, selectAction, shot, useStudio, waitSession } from './studio';

const s = useStudio(['--sim-pacing', 'fast', '--sim-seed', '4'], { ready: true });
let page: Page;

beforeAll(() => {
  page = s.page;
});

const debuggee = () => page.getByTestId('debuggee-state').textContent();

describe.skipIf(!chromiumAvailable())('Debugger Mode', () => {
  const step = journeySteps();

  step(
    'connects the simulator in Debugger Mode: the debuggee runs, pause is offered, not mute',
    async () => {
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
    },
  );

  step('refuses console input while the debuggee runs, saying why', async () => {
    await page.keyboard.press('Alt+6');
    await page.getByTestId('console-input').fill('.status');
    await page.getByTestId('console-input').press('Enter');
    await expect
      .poll(() => page.getByTestId('console-outcome').textContent())
      .toMatch(/the debuggee is running: hyperdbg-cli reads no input until it pauses/);
  });

  step('pauses and continues the debuggee', async () => {
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

  step("shows the debuggee's build from its connect line, which v0.23 always fills", async () => {
    // KdGetWindowVersion formats "%s %s %s (OS Build %s)" even before 20H2 (audit §3 item 9).
    await expect
      .poll(() => page.getByTestId('target-build').getAttribute('data-build'))
      .toBe('18363');
    await selectAction(page, 'Current process ImageFileName');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    await expect
      .poll(() => page.getByTestId('command-preview').textContent(), { timeout: 20_000 })
      .toMatch(/^!syscall /);
    expect(await page.getByTestId('build-unknown').count()).toBe(0);
    await expect.poll(debuggee).toBe('debuggee running');
  });

  step('applies an event while the debuggee runs, and leaves it running', async () => {
    await expect
      .poll(() => page.getByTestId('command-preview').textContent(), { timeout: 20_000 })
      .toBe('!syscall buffer 18 code {65488B042588010000488B80B8000000480550040000C3}');
    // Bind the action's log form: a script printing the same record (buffer-records.md §2, the
    // 1909 offset +0x450), numbered per core in its safe buffer, which Debugger Mode reserves
    // with `prealloc` before the event (spec §3.5; the app sends it on Apply).
    await page.getByTestId('binder-use-log-form').check();
    await expect
      .poll(() => page.getByTestId('command-preview').textContent())
      .toBe(
        '!syscall buffer 200 script {eq($buffer + ($core & 3f) * 8, dq($buffer + ($core & 3f) * 8) + 1); printf("HDBG2 %x %x %llx %llx %x %llx %llx\\n", $event_id, $core, dq($buffer + ($core & 3f) * 8), $context, 0xf, dq($proc+0x450), dq($proc+0x458));}',
      );
    await page.getByTestId('apply-binding').click();
    // No build probe in Debugger Mode (the connect line named the build): this is event 0.
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event 0 registered/);
    await expect.poll(debuggee).toBe('debuggee running');
    await expect
      .poll(() => logCount(page, 'log-count-total'), { timeout: 20_000 })
      .toBeGreaterThan(10);
    // Numbered records: the cores wait on the link, so nothing is lost, and the log says 0.
    expect(await page.getByTestId('log-target-lost').textContent()).toMatch(/^0 lost$/);
    expect(s.errors).toEqual([]);
  });
});
