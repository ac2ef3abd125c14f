// The session in the header, against the real host and simulator: the first run opens on the
// simulator, labelled as simulated; the connection dialog checks a CLI path before starting
// anything, remembers profiles, and a target that fails shows its error in the header; a CLI
// killed mid-session shows as lost and Reconnect starts it again.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser';
import { tempDir } from '../helpers/paths';
import { shot, simulatorPids, useStudio, waitSession } from './studio';

const s = useStudio(['--sim-pacing', 'fast', '--sim-seed', '7']);

describe.skipIf(!chromiumAvailable())('session header and connection dialog', () => {
  it('opens on the simulator on a first run, clearly labelled as simulated', async () => {
    const p = s.page;
    await waitSession(p, 'ready');
    expect(await p.getByTestId('simulated-badge').textContent()).toBe('SIMULATED DEBUGGEE');
    expect(await p.getByTestId('session-target').textContent()).toMatch(/Simulator/);
    expect(await p.getByTestId('session-mode').textContent()).toBe('VMI mode');
    // Records travel through the app's output sink (docs/hyperdbg-v0.23.md §6.4), not the console.
    expect(await p.getByTestId('records-channel').textContent()).toBe('records: forwarded (tcp)');
    expect(await p.getByTestId('records-channel').getAttribute('title')).toMatch(
      /^Records travel through the output sink hds_[0-9a-f]{8} at 127\.0\.0\.1:\d+, not the console/,
    );
    // VMI mode: HyperDbg's pause only stops the console, and the sink is served before it: it is
    // offered only as mute, saying so.
    const mute = p.getByTestId('mute-button');
    expect(await mute.textContent()).toBe('Mute console');
    expect(await mute.getAttribute('title')).toMatch(
      /stops its console printing \(docs\/hyperdbg-v0\.23\.md §2\.7\)/,
    );
    expect(await mute.getAttribute('title')).toMatch(/they keep arriving/);
    expect(await p.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(0);
    expect(simulatorPids(s.host.child.pid as number)).toHaveLength(1);
    await shot(p, 'first-run-simulator');
  });

  it('mutes and unmutes in VMI mode', async () => {
    const p = s.page;
    await p.getByTestId('mute-button').click();
    await expect
      .poll(() => p.getByTestId('muted-badge').textContent())
      .toBe('muted: console only, records still forwarded');
    await p.keyboard.press('F5');
    await expect.poll(() => p.getByTestId('muted-badge').count()).toBe(0);
  });

  it('checks the CLI path before starting anything, and remembers profiles', async () => {
    const p = s.page;
    await p.keyboard.press('Control+Shift+O');
    const dialog = p.getByTestId('connection-dialog');
    await dialog.getByRole('button', { name: '+ New target' }).click();
    await dialog.getByLabel('Target', { exact: true }).selectOption('namedPipe');
    await dialog.getByLabel('Name', { exact: true }).fill('Test VM');
    const missing = join(tempDir(), 'hyperdbg-cli.exe');
    await dialog.getByLabel('hyperdbg-cli path').fill(missing);
    await dialog.getByRole('button', { name: 'Check' }).click();
    const cliField = dialog.getByTestId('cli-path-field');
    await expect
      .poll(() => cliField.locator('.field-error').textContent())
      .toBe(`${missing} does not exist`);
    await dialog.getByTestId('dialog-connect').click();
    // Refused before anything started: the simulator still runs.
    await expect
      .poll(() => cliField.locator('.field-error').textContent())
      .toMatch(/does not exist/);
    await waitSession(p, 'ready');
    await shot(p, 'connection-dialog-cli-missing');

    await dialog.getByLabel('hyperdbg-cli path').fill('relative\\hyperdbg-cli.exe');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => cliField.locator('.field-error').textContent()).toMatch(/full path/);

    await dialog.getByLabel('hyperdbg-cli path').fill('C:\\HyperDbg\\hyperdbg-cli.exe');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => dialog.getByRole('list', { name: 'Saved targets' }).textContent())
      .toMatch(/Test VM/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Remembered across a reload.
    await p.reload();
    await waitSession(p, 'ready');
    await p.getByTestId('connect-button').click();
    await expect
      .poll(() =>
        p
          .getByTestId('connection-dialog')
          .getByRole('list', { name: 'Saved targets' })
          .textContent(),
      )
      .toMatch(/Test VM.*named pipe \\\\\.\\pipe\\HyperDbgPipe/);
    await p.getByTestId('connection-dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows where a target that is not HyperDbg fails, then goes back to the simulator', async () => {
    const p = s.page;
    const fake = join(tempDir(), 'hyperdbg-cli');
    writeFileSync(fake, '#!/bin/sh\necho "not a debugger"\nexit 3\n');
    chmodSync(fake, 0o755);
    await p.getByTestId('connect-button').click();
    const dialog = p.getByTestId('connection-dialog');
    await dialog.getByRole('button', { name: '+ New target' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('Broken CLI');
    await dialog.getByLabel('hyperdbg-cli path').fill(fake);
    await dialog.getByTestId('dialog-connect').click();
    await waitSession(p, 'disconnected');
    const error = p.getByTestId('session-error').first();
    await expect
      .poll(() => error.textContent())
      .toMatch(/hyperdbg-cli ended before its first prompt.*not a debugger/);
    await shot(p, 'session-start-error');

    await p.getByTestId('connect-button').click();
    await dialog.getByRole('button', { name: /^Simulator/ }).click();
    await dialog.getByTestId('dialog-connect').click();
    await waitSession(p, 'ready');
    expect(await p.getByTestId('session-error').count()).toBe(0);
  });

  it('shows a CLI killed mid-session as lost, and reconnects', async () => {
    const p = s.page;
    const [pid] = simulatorPids(s.host.child.pid as number);
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    await waitSession(p, 'lost');
    await expect
      .poll(() => p.getByTestId('session-lost').textContent())
      .toMatch(
        /Connection lost: the simulator ended unexpectedly \(killed by signal 9.*Everything received so far is kept/,
      );
    await shot(p, 'session-lost');
    await p.getByTestId('restart-button').click();
    await waitSession(p, 'ready');
    const [again] = simulatorPids(s.host.child.pid as number);
    expect(again).toBeDefined();
    expect(again).not.toBe(pid);
    expect(s.errors).toEqual([]);
  });
});
