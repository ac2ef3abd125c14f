// The native menu and the renderer's shortcut table never bind one key chord to two different
// commands, and every menu command is one the renderer handles.
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_COMMANDS, type MenuCommand } from '../../../shared/contract/app';
import { menuTemplate } from '../../../electron/main/menu';
import { SHORTCUTS, chordText } from '../../../renderer/src/app/shortcuts';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
}

/** `CmdOrCtrl+Shift+O` -> `Ctrl+Shift+O`, the renderer's spelling. */
function normalise(accelerator: string): string {
  return accelerator.replace('CmdOrCtrl', 'Ctrl');
}

describe('application menu', () => {
  const sent: MenuCommand[] = [];
  const template = menuTemplate(
    false,
    (c) => sent.push(c),
    () => undefined,
  );
  const withCommands = items(template).flatMap((item) => {
    if (typeof item.click !== 'function') return [];
    sent.length = 0;
    (item.click as () => void)();
    const command = sent[0];
    return command === undefined ? [] : [{ item, command }];
  });

  it('sends every menu command the contract lists, and only those', () => {
    expect([...new Set(withCommands.map((w) => w.command))].sort()).toEqual(
      [...MENU_COMMANDS].sort(),
    );
  });

  it('binds no chord the renderer uses for a different command', () => {
    const renderer = new Map(SHORTCUTS.map((s) => [chordText(s.chord), s.command]));
    for (const { item, command } of withCommands) {
      if (item.accelerator === undefined) continue;
      const chord = normalise(String(item.accelerator));
      const other = renderer.get(chord);
      if (other !== undefined)
        expect(other, `${chord}: menu ${command}, renderer ${other}`).toBe(command);
    }
  });
});
