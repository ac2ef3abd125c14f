// A fresh install without a symbol path (`sim --symbols none`, docs/hyperdbg-v0.23.md §12): the
// app explains what is missing and how to set it, the binder marks an `nt!` address unusable,
// and once the user has run what the notice says in the console, the same binding applies and
// its records arrive.
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../helpers/browser';
import { journeySteps, logCount, selectAction, shot, useStudio } from './studio';

const s = useStudio(['--sim-pacing', 'fast', '--sim-symbols', 'none', '--sim-seed', '5'], {
  ready: true,
});
let page: Page;

/** Microsoft's symbol server with a local cache, as HyperDbg's `.help .sympath` shows it. */
const SYMBOL_PATH = 'SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols';

beforeAll(() => {
  page = s.page;
});

/** The error under the binder field whose input has this test id. */
const errorOf = (testId: string) =>
  page
    .getByTestId('event-binder')
    .locator('.field')
    .filter({ has: page.getByTestId(testId) })
    .locator('.field-error');

async function consoleCommand(line: string): Promise<void> {
  await page.getByTestId('tab-console').click();
  const input = page.getByTestId('console').locator('input');
  await input.fill(line);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe('');
}

describe.skipIf(!chromiumAvailable())('symbols on a fresh install', () => {
  const step = journeySteps();

  step('explains that HyperDbg has no symbol path, and how to set one', async () => {
    // `load vmm` printed "please configure the symbol path ..." (§12).
    await expect
      .poll(() => page.getByTestId('session-notice').allTextContents())
      .toContainEqual(
        expect.stringContaining(
          `HyperDbg has no symbol path, so module!name addresses such as nt!NtCreateFile cannot resolve`,
        ),
      );
    const notice = (await page.getByTestId('session-notice').allTextContents()).find((n) =>
      n.includes('no symbol path'),
    );
    expect(notice).toContain(`.sympath "${SYMBOL_PATH}" then .sym download`);
    await shot(page, 'symbols-missing-notice');
  });

  step('the binder marks an nt! address unusable until then', async () => {
    await selectAction(page, 'Pool tag and size (ExAllocatePoolWithTag)');
    await page.getByTestId('action-editor').getByRole('button', { name: 'Bind…' }).click();
    await page.getByTestId('binder-kind').selectOption('!epthook2');
    await page.getByTestId('binder-arg-0').fill('nt!ExAllocatePoolWithTag');
    await expect
      .poll(() => errorOf('binder-arg-0').textContent())
      .toMatch(/^HyperDbg has no symbol path, so this name cannot resolve/);
    expect(await page.getByTestId('apply-binding').isDisabled()).toBe(true);
    await shot(page, 'symbols-missing-binder');
  });

  step(
    'the user sets the path and downloads the PDBs in the console, as the notice says',
    async () => {
      await consoleCommand(`.sympath "${SYMBOL_PATH}"`);
      await consoleCommand('.sym download');
      // HyperDbg's own lines (symbol-parser.cpp): each PDB downloaded, then loaded; the last
      // ones are on screen once the command has answered.
      await expect
        .poll(() => page.getByTestId('console-outcome').textContent(), { timeout: 20_000 })
        .toMatch(/^\.sym download: \d+ lines/);
      expect(await page.locator('.xterm-rows').textContent()).toMatch(
        /loading symbol '[^']+\.pdb'\.\.\.\s*loaded/,
      );
    },
  );

  step('the nt! binding then applies, and its records arrive', async () => {
    await page.getByTestId('tab-binder').click();
    await expect.poll(() => errorOf('binder-arg-0').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('command-preview').textContent())
      .toMatch(/^!epthook2 nt!ExAllocatePoolWithTag buffer \w+ code \{[0-9A-F]+\}$/);
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event 1 registered: !epthook2 nt!ExAllocatePoolWithTag/);
    await page.getByTestId('tab-log').click();
    await expect
      .poll(() => logCount(page, 'log-count-total'), { timeout: 20_000 })
      .toBeGreaterThan(5);
    await shot(page, 'symbols-set-records');
    expect(s.errors).toEqual([]);
  });
});
