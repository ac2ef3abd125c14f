// The action library pane in Chromium against the real host: built-ins marked, search and tags,
// new / rename (a taken name refused on the field) / duplicate / delete with undo, export as a
// download and import of that file, and restoring a deleted built-in.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser';
import { selectAction, shot, useStudio } from './studio';

const s = useStudio(['--sim-pacing', 'fast'], { ready: true });

const rows = () => s.page.getByTestId('action-row');
const rowNames = async () =>
  await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-action-name')));

describe.skipIf(!chromiumAvailable())('action library pane', () => {
  it('lists the built-in actions, marked as built-in', async () => {
    await expect.poll(rowNames).toContain('Rewrite pool tag HDBG to HDB2');
    const names = await rowNames();
    expect(names).toEqual(
      expect.arrayContaining([
        'Break to the debugger',
        'Current process ImageFileName',
        'Current process id and syscall number',
        "Caller's return address",
        'Pool tag and size (ExAllocatePoolWithTag)',
      ]),
    );
    // One portable ImageFileName action: no per-build flavours, no log twin.
    expect(names.filter((n) => n?.startsWith('Current process ImageFileName'))).toEqual([
      'Current process ImageFileName',
    ]);
    const pool = s.page.locator('[data-action-name="Rewrite pool tag HDBG to HDB2"]');
    await expect.poll(() => pool.locator('.mark.builtin').textContent()).toBe('built-in');
    await shot(s.page, 'library-builtins');
  });

  it('searches by words and filters by tag chips', async () => {
    await s.page.getByLabel('Search actions').fill('rewrite pool');
    await expect.poll(rowNames).toEqual(['Rewrite pool tag HDBG to HDB2']);
    await s.page.getByLabel('Search actions').fill('');
    await s.page
      .getByRole('group', { name: 'Filter by tag' })
      .getByRole('button', { name: /^portable/ })
      .click();
    await expect
      .poll(rowNames)
      .toEqual([
        "Caller's return address",
        'Current process id and syscall number',
        'Current process ImageFileName',
        'Pool tag and size (ExAllocatePoolWithTag)',
      ]);
    await s.page
      .getByRole('group', { name: 'Filter by tag' })
      .getByRole('button', { name: /^portable/ })
      .click();
    await expect.poll(async () => (await rowNames()).length).toBeGreaterThan(4);
  });

  it('creates, renames (refusing a taken name on the field), duplicates, deletes and undoes', async () => {
    const p = s.page;
    await p.getByRole('button', { name: 'New ▾' }).click();
    await p.getByRole('menuitem', { name: 'Custom code' }).click();
    await expect.poll(rowNames).toContain('New custom code action');
    await expect
      .poll(() => p.locator('.action-row.selected').getAttribute('data-action-name'))
      .toBe('New custom code action');

    // Rename to a taken name: the store's refusal shows under the field.
    await p.locator('.action-row.selected').getByRole('button', { name: 'Rename' }).click();
    await p.getByLabel('New name').fill('Break to the debugger');
    await p.getByLabel('New name').press('Enter');
    await expect
      .poll(() => p.locator('.rename .field-error').textContent())
      .toMatch(/already exists/);
    await p.getByLabel('New name').fill('My syscall probe');
    await p.getByLabel('New name').press('Enter');
    await expect.poll(rowNames).toContain('My syscall probe');

    await p.locator('.action-row.selected').getByRole('button', { name: 'Duplicate' }).click();
    await expect.poll(rowNames).toContain('My syscall probe (copy)');

    await p.locator('.action-row.selected').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(rowNames).not.toContain('My syscall probe (copy)');
    await p
      .getByTestId('toast')
      .filter({ hasText: "Deleted 'My syscall probe (copy)'" })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect.poll(rowNames).toContain('My syscall probe (copy)');
  });

  it('exports the selected action as a file and imports it back under a free name', async () => {
    const p = s.page;
    await selectAction(p, 'My syscall probe');
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const file = await download.path();
    const content = JSON.parse(readFileSync(file, 'utf8')) as {
      format: string;
      actions: { id?: string; name: string }[];
    };
    expect(content.format).toBe('hyperdbg-studio/actions');
    expect(content.actions.map((a) => a.name)).toEqual(['My syscall probe']);

    // The same file again: already in the library, unchanged, so nothing is added.
    await p.getByTestId('import-file').setInputFiles({
      name: 'probe.json',
      mimeType: 'application/json',
      buffer: readFileSync(file),
    });
    await expect
      .poll(() => p.getByTestId('toast').last().textContent())
      .toMatch(/Imported 0 actions; skipped 'My syscall probe' \(already in the library/);
    // Without its id it is a new action whose name is taken: imported under a free name.
    const copy = { ...content, actions: content.actions.map(({ id: _id, ...rest }) => rest) };
    await p.getByTestId('import-file').setInputFiles({
      name: 'probe-copy.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(copy)),
    });
    await expect
      .poll(() => p.getByTestId('toast').last().textContent())
      .toMatch(/Imported 1 action; 'My syscall probe' as '/);
    await expect
      .poll(async () => (await rowNames()).filter((n) => n?.startsWith('My syscall probe')).length)
      .toBe(3);

    // A hostile file imports nothing and says why.
    await p.getByTestId('import-file').setInputFiles({
      name: 'evil.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        '{"format":"hyperdbg-studio/actions","formatVersion":1,"actions":[{"__proto__":1}]}',
      ),
    });
    await expect
      .poll(() => p.getByTestId('toast').last().textContent())
      .toMatch(/Nothing imported from evil\.json/);
  });

  it('works from the keyboard: arrows move, F2 renames, Escape cancels, Enter opens', async () => {
    const p = s.page;
    await p.keyboard.press('Control+k');
    await p.getByLabel('Search actions').fill('current process');
    await p.getByLabel('Search actions').press('ArrowDown');
    const selected = () => p.locator('.action-row.selected').getAttribute('data-action-name');
    await expect.poll(selected).toBe('Current process id and syscall number');
    await p.keyboard.press('ArrowDown');
    await expect.poll(selected).toBe('Current process ImageFileName');
    await p.keyboard.press('F2');
    await expect
      .poll(() => p.getByLabel('New name').inputValue())
      .toBe('Current process ImageFileName');
    await p.keyboard.press('Escape');
    await expect.poll(() => p.getByLabel('New name').count()).toBe(0);
    await p.keyboard.press('Enter');
    await expect
      .poll(() => p.getByTestId('action-editor').getAttribute('aria-label'))
      .toBe('Edit Current process ImageFileName');
    await p.getByLabel('Search actions').fill('');
  });

  it('restores a deleted built-in', async () => {
    const p = s.page;
    await selectAction(p, 'Break to the debugger');
    await p.locator('.action-row.selected').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(rowNames).not.toContain('Break to the debugger');
    await p.getByRole('button', { name: /^Restore 1 built-in$/ }).click();
    await expect.poll(rowNames).toContain('Break to the debugger');
    expect(s.errors).toEqual([]);
  });
});
