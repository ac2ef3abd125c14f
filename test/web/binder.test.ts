// The event binder in Chromium: the catalog's arguments and Context meaning per kind, the exact
// command line as fields change, builder errors on the field they name (buffer out of range,
// pid, a range that runs backwards, sc without stage pre), a CLI refusal on the argument it
// quotes, and at most one code and one log action sharing one buffer.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../helpers/browser';
import { shot, useStudio } from './studio';

const s = useStudio(['--sim-pacing', 'fast', '--sim-seed', '2'], { ready: true });
let page: Page;

beforeAll(async () => {
  page = s.page;
  // A log action of the user's own, as a HyperDbg script file (buffer-records.md §2's record line).
  await page.getByTestId('import-file').setInputFiles({
    name: 'names.ds',
    mimeType: 'text/plain',
    buffer: Buffer.from(`${NAMES_SCRIPT}\n`),
  });
  await page.locator(`[data-testid="action-row"][data-action-name="${LOG}"]`).waitFor();
  await page.keyboard.press('Alt+2');
});

const preview = () => page.getByTestId('command-preview').textContent();
/** The error under the binder field whose input has this test id. */
const errorOf = (testId: string) =>
  page
    .getByTestId('event-binder')
    .locator('.field')
    .filter({ has: page.getByTestId(testId) })
    .locator('.field-error');

const NAMES_SCRIPT =
  'printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));';
const LOG = 'names';
const CODE = 'Current process ImageFileName';

describe.skipIf(!chromiumAvailable())('event binder', () => {
  it("shows each kind's arguments and what Context means for it (spec §3.8)", async () => {
    await page.getByTestId('binder-kind').selectOption('!monitor');
    const info = page.getByTestId('kind-info');
    await expect
      .poll(() => info.textContent())
      .toMatch(/Context: the exact virtual address accessed/);
    const labels = await page.getByTestId('event-binder').locator('label').allTextContents();
    const argLabels = labels.filter((l) => /^(address-type|attributes|from|to)\b/.test(l));
    expect(argLabels.map((l) => l.split(' ')[0])).toEqual([
      'address-type',
      'attributes',
      'from',
      'to',
    ]);
    expect(argLabels[0]).toMatch(/optional: virtual addresses/);
    expect(await page.getByTestId('binder-arg-3').getAttribute('placeholder')).toBe(
      'to-address, or l 1000',
    );
    await page.getByTestId('binder-kind').selectOption('!epthook2');
    await expect
      .poll(() => info.textContent())
      .toMatch(/Context: the virtual address of the hooked function/);
    expect(await info.textContent()).toMatch(/VMX non-root, inside a detour/);
  });

  it('builds the exact line as fields change; one code and one log action share one buffer', async () => {
    await page.getByTestId('binder-kind').selectOption('!syscall');
    await page.getByTestId('binder-log').selectOption({ label: LOG });
    await expect.poll(preview).toMatch(/^!syscall script \{printf\("HDBG1 /);
    await page.getByTestId('binder-code').selectOption({ label: CODE });
    await page.getByTestId('binder-arg-0').fill('55');
    await page.getByTestId('binder-pid').fill('4');
    await page.getByTestId('binder-core').fill('2');
    await expect
      .poll(preview)
      .toBe(
        '!syscall 55 pid 4 core 2 buffer 18 code {65488B042588010000488B80B8000000480550040000C3} script {printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));}',
      );
    // One slot each: the selects hold one action, the buffer is the larger one (0x18).
    expect(await page.getByTestId('binder-buffer').getAttribute('placeholder')).toBe('18');
    await shot(page, 'binder-preview');
  });

  it('puts builder errors on the field they name, and refuses to apply', async () => {
    await page.getByTestId('binder-buffer').fill('3e8');
    await expect.poll(() => errorOf('binder-buffer').textContent()).toMatch(/1\.\.0x3e7 bytes/);
    expect(await page.getByTestId('command-preview').count()).toBe(0);
    expect(await page.getByTestId('apply-binding').isDisabled()).toBe(true);
    await page.getByTestId('binder-buffer').fill('');
    await page.getByTestId('binder-pid').fill('4 ; events c all');
    await expect.poll(() => errorOf('binder-pid').count()).toBe(1);
    await page.getByTestId('binder-pid').fill('');
    await page.getByTestId('binder-core').fill('');
    await page.getByTestId('binder-arg-0').fill('');
    await page.getByRole('button', { name: /Advanced/ }).click();
    await page.getByLabel('Stage').selectOption('post');
    await page.getByLabel('Short-circuit (sc)').selectOption('on');
    await expect
      .poll(() => page.getByTestId('event-binder').locator('.field-error').allTextContents())
      .toContainEqual(expect.stringMatching(/short-circuiting works only with stage pre/));
    await shot(page, 'binder-field-errors');
    await page.getByLabel('Short-circuit (sc)').selectOption('');
    await page.getByLabel('Stage').selectOption('');
    await expect.poll(preview).toMatch(/^!syscall buffer 18 code/);
  });

  it('shows a CLI refusal on the argument it quotes', async () => {
    await page.getByTestId('binder-code').selectOption('');
    await page.getByTestId('binder-kind').selectOption('!epthook2');
    await page.getByTestId('binder-arg-0').fill('nt!NoSuchFunction');
    await expect.poll(preview).toMatch(/^!epthook2 nt!NoSuchFunction script/);
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => errorOf('binder-arg-0').textContent())
      .toMatch(/couldn't resolve error at 'nt!NoSuchFunction'/);
    await shot(page, 'binder-cli-error');
    // Fixing the field clears it; the symbol the guest exports is accepted.
    await page.getByTestId('binder-arg-0').fill('nt!ExAllocatePoolWithTag');
    await expect.poll(() => errorOf('binder-arg-0').count()).toBe(0);
    await page.getByTestId('apply-binding').click();
    await expect
      .poll(() => page.getByTestId('toast').last().textContent())
      .toMatch(/Event \d+ registered: !epthook2 nt!ExAllocatePoolWithTag/);
    expect(s.errors).toEqual([]);
  });
});
