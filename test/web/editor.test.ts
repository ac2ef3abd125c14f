// The action editor in Chromium against the real host's assembler: the listing reads the seed's
// GUEST_REGS offsets, an assembly error shows inline on its line while typing, a buffer size out
// of range is refused on its field, the schema preview decodes a record line, saving makes a
// version, history restores one, and an edit saved elsewhere meanwhile is not overwritten.
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser';
import { editorLine, openStudio, selectAction, setEditorText, shot, useStudio } from './studio';

const s = useStudio(['--sim-pacing', 'fast'], { ready: true });

describe.skipIf(!chromiumAvailable())('action editor', () => {
  it("annotates the seed's tag rewrite: [rdx+0x40] is Regs->r8 (GUEST_REGS, the seed: buffer-records.md §6)", async () => {
    const p = s.page;
    await selectAction(p, 'Rewrite pool tag HDBG to HDB2');
    const listing = p.getByTestId('code-listing');
    await expect.poll(() => listing.getAttribute('data-state')).toBe('ok');
    // The seed's bytes (its command line's code block), and the offsets of its listing (0, 4, b, d, f, 17 + the appended ret).
    expect(await p.getByTestId('code-listing-hex').textContent()).toBe(
      '488B5A404881FB484442477402EB0848C7424048444232C3',
    );
    const rows = await listing
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
      );
    expect(rows.map((r) => r[0])).toEqual(['0', '4', 'b', 'd', 'f', '17', '18']);
    expect(rows[0]?.[1]).toBe('48 8b 5a 40');
    expect(rows[0]?.[2]).toMatch(/^mov\s+rbx,QWORD PTR \[rdx\+0x40\].*Regs->r8/);
    expect(rows[4]?.[2]).toMatch(/^ChangeIt: mov\s+QWORD PTR \[rdx\+0x40\],0x32424448.*Regs->r8/);
    expect(rows[6]?.[2]).toMatch(/appended by HyperDbg/);
    await shot(p, 'editor-listing');
  });

  it('shows an assembly error inline on the failing line, as the user types', async () => {
    const p = s.page;
    await p.getByRole('button', { name: 'New ▾' }).click();
    await p.getByRole('menuitem', { name: 'Custom code' }).click();
    await expect
      .poll(() => p.getByTestId('action-editor').getAttribute('aria-label'))
      .toBe('Edit New custom code action');
    await setEditorText(
      p,
      'code-editor',
      'mov rax, qword ptr gs:[0x188]\nmov rax, [rax+0xb8]\nmovv rax, 1\nret',
    );
    const listing = p.getByTestId('code-listing');
    await expect.poll(() => listing.getAttribute('data-state')).toBe('error');
    // The error's mark sits on line 3 and nowhere else; the message names line 3.
    await expect
      .poll(() => editorLine(p, 'code-editor', 3).locator('.cm-lintRange-error').count())
      .toBe(1);
    for (const n of [1, 2, 4])
      expect(await editorLine(p, 'code-editor', n).locator('.cm-lintRange-error').count()).toBe(0);
    const diag = p.getByTestId('code-listing-diagnostics').locator('.diag-error');
    await expect.poll(() => diag.first().textContent()).toMatch(/^errorline 3.*movv/i);
    await expect
      .poll(() =>
        p.getByTestId('code-editor').locator('.cm-gutter-lint .cm-lint-marker-error').count(),
      )
      .toBe(1);
    await shot(p, 'editor-asm-error');

    // Fixing the line clears the error and shows the bytes.
    await editorLine(p, 'code-editor', 3).click();
    await p.keyboard.press('End');
    await p.keyboard.press('Shift+Home');
    await p.keyboard.type('mov rax, 1');
    await expect.poll(() => listing.getAttribute('data-state')).toBe('ok');
    expect(await p.getByTestId('code-editor').locator('.cm-lintRange-error').count()).toBe(0);
    expect(await p.getByTestId('code-listing-hex').textContent()).toBe(
      '65488B042588010000488B80B800000048C7C001000000C3',
    );
  });

  it('refuses a buffer size out of range on its field, and saves nothing', async () => {
    const p = s.page;
    const field = p.getByTestId('buffer-size-field');
    await field.getByRole('textbox').fill('3e8');
    await expect
      .poll(() => field.locator('.field-error').textContent())
      .toMatch(/at most 0x3e7 \(999\) bytes/);
    expect(await field.getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
    await p.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => p.getByTestId('toast').last().textContent()).toMatch(/Not saved/);
    expect(await p.getByTestId('action-version').textContent()).toBe('v1');
    await shot(p, 'editor-buffer-refused');
    await field.getByRole('textbox').fill('18');
    await expect.poll(() => field.locator('.field-error').count()).toBe(0);
    await expect
      .poll(() => field.locator('.hint').textContent())
      .toBe('buffer 18 = 24 bytes, sent as each record');
  });

  it('previews the schema on a record line and saves a version; history restores the first', async () => {
    const p = s.page;
    await p.getByRole('button', { name: 'Add field' }).click();
    await p.getByLabel('Field 1 name').fill('ImageFileName');
    await p.getByLabel('Field 1 type').fill('cstr[15]');
    // "explorer.exe" as a target prints it (buffer-records.md §2: little-endian words).
    await p.getByLabel(/Sample record/).fill('HDBG1 0 2 55 18 7265726f6c707865 6578652e 0');
    await expect
      .poll(() => p.getByTestId('schema-preview').locator('td').first().textContent())
      .toBe('explorer.exe');

    await p.keyboard.press('Control+s');
    await expect.poll(() => p.getByTestId('action-version').textContent()).toBe('v2');
    await p.getByRole('button', { name: 'History' }).click();
    const versions = p.getByTestId('history').locator('.versions li');
    await expect.poll(() => versions.count()).toBe(2);
    await versions.nth(1).getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => p.getByTestId('action-version').textContent()).toBe('v3');
    // Version 1 was the template: no schema, and its own code.
    await expect.poll(() => p.getByTestId('schema-row').count()).toBe(0);
    await expect.poll(() => editorLine(p, 'code-editor', 4).textContent()).toBe('    xor eax, eax');
    // The listing follows the restored source (31 c0 = xor eax, eax).
    await expect.poll(() => p.getByTestId('code-listing-hex').textContent()).toBe('31C0C3');
    await shot(p, 'editor-history');
    await p.getByRole('button', { name: 'Close history' }).click();
  });

  it('keeps unsaved edits while another action is open, and marks them in the library', async () => {
    const p = s.page;
    await selectAction(p, 'Per-core event counter');
    await p.getByLabel('Description').fill('my notes, not saved yet');
    await selectAction(p, 'Break to the debugger');
    const row = p.locator('[data-testid="action-row"][data-action-name="Per-core event counter"]');
    await expect.poll(() => row.locator('.mark.warn').textContent()).toBe('unsaved');
    await selectAction(p, 'Per-core event counter');
    expect(await p.getByLabel('Description').inputValue()).toBe('my notes, not saved yet');
    await p.getByRole('button', { name: 'Revert' }).click();
    await expect.poll(() => row.locator('.mark.warn').count()).toBe(0);
  });

  it('does not overwrite an edit saved elsewhere meanwhile', async () => {
    const other = await openStudio(s.browser, s.host);
    await selectAction(s.page, 'New custom code action');
    await selectAction(other.page, 'New custom code action');
    // Both start from the same version; this page edits, the other saves first.
    await s.page.getByLabel('Description').fill('mine');
    await other.page.getByLabel('Description').fill('theirs');
    await other.page.keyboard.press('Control+s');
    await expect.poll(() => other.page.getByTestId('action-version').textContent()).toBe('v4');
    const banner = s.page.getByTestId('editor-conflict');
    await expect
      .poll(() => banner.textContent())
      .toMatch(/saved elsewhere meanwhile \(version 4\)/);
    await banner.getByRole('button', { name: /Keep mine/ }).click();
    await expect.poll(() => s.page.getByTestId('action-version').textContent()).toBe('v5');
    await expect.poll(() => other.page.getByLabel('Description').inputValue()).toBe('mine');
    await other.page.close();
    expect(s.errors).toEqual([]);
  });
});
