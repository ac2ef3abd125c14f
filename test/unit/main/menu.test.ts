// The native menu takes its accelerators from the shortcut table (shared/ui/shortcuts.ts): each
// one it shows runs, in the table, the command its item sends; no chord is bound to two
// commands; every accelerator is one Electron can register; and every menu command is one the
// renderer handles.
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_COMMANDS, type MenuCommand } from '../../../shared/contract/app';
import { menuTemplate } from '../../../electron/main/menu';
import {
  acceleratorText,
  chordText,
  MENU_ONLY_SHORTCUTS,
  menuAccelerator,
  SHORTCUTS,
  type Chord,
} from '../../../shared/ui/shortcuts';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
}

/** `CmdOrCtrl+Shift+O` back into a chord, as the table writes it. */
function chordOf(accelerator: string): Chord {
  const parts = accelerator.split('+');
  const key = parts.pop() as string;
  return {
    key: key.length === 1 ? key.toLowerCase() : key,
    ...(parts.includes('CmdOrCtrl') ? { ctrl: true } : {}),
    ...(parts.includes('Alt') ? { alt: true } : {}),
    ...(parts.includes('Shift') ? { shift: true } : {}),
  };
}

/**
 * Key codes of Electron's accelerator syntax (its `Accelerator` documentation): letters, digits,
 * F1-F24, punctuation and these names. Pause and Break are not among them.
 */
const ELECTRON_KEY =
  /^(?:[A-Z0-9]|F(?:[1-9]|1\d|2[0-4])|Plus|Space|Tab|Backspace|Delete|Insert|Return|Enter|Up|Down|Left|Right|Home|End|PageUp|PageDown|Escape|Esc|[~!@#$%^&*()_\-=[\]{};':",./<>?`\\|])$/;

const ALL = [...MENU_ONLY_SHORTCUTS, ...SHORTCUTS];

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

  it("shows each command's chord from the table, which runs that same command", () => {
    for (const { item, command } of withCommands) {
      expect(item.accelerator, command).toBe(menuAccelerator(command));
      if (item.accelerator === undefined) continue;
      const chord = chordText(chordOf(String(item.accelerator)));
      const bound = ALL.filter((s) => chordText(s.chord) === chord).map((s) => s.command);
      expect(bound, `${command}: ${String(item.accelerator)}`).toEqual([command]);
    }
  });

  it('gives the chords the README documents', () => {
    expect(menuAccelerator('session:connect')).toBe('CmdOrCtrl+Shift+O');
    expect(menuAccelerator('session:toggle-run')).toBe('F5');
    expect(menuAccelerator('view:toggle-theme')).toBe('CmdOrCtrl+Shift+L');
  });

  it('gives every menu command an accelerator Electron can register', () => {
    for (const command of MENU_COMMANDS) {
      const accelerator = menuAccelerator(command);
      expect(accelerator, command).toBeDefined();
      const parts = String(accelerator).split('+');
      expect(parts.pop(), command).toMatch(ELECTRON_KEY);
      for (const m of parts) expect(['CmdOrCtrl', 'Alt', 'Shift']).toContain(m);
    }
    expect(acceleratorText({ key: 'k', ctrl: true, alt: true })).toBe('CmdOrCtrl+Alt+K');
  });

  it('binds no chord to two different commands, in the page or the menu', () => {
    const byChord = new Map<string, string>();
    for (const s of ALL) {
      const chord = chordText(s.chord);
      const other = byChord.get(chord);
      if (other !== undefined) expect(other, chord).toBe(s.command);
      byChord.set(chord, s.command);
    }
  });
});
