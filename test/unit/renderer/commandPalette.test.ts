// The command palette's entries come from the one command table: every app command once, with
// every chord the shortcut table binds to it (the keys that really run it); search matches
// each word in the title or the keys, best first.
import { describe, expect, it } from 'vitest';
import { filterPalette, paletteEntries } from '../../../renderer/src/app/commandPalette';
import { chordText, commandForKey, SHORTCUTS } from '../../../shared/ui/shortcuts';

describe('command palette entries', () => {
  const entries = paletteEntries();

  it('lists every command of the shortcut table once, with all its chords', () => {
    const commands = entries.map((e) => e.command);
    expect(new Set(commands).size).toBe(commands.length);
    for (const s of SHORTCUTS) {
      const e = entries.find((x) => x.command === s.command);
      expect(e, s.command).toBeDefined();
      expect(e?.keys).toContain(chordText(s.chord));
    }
    // Commands without a chord are listed too (the menu's Import and Export).
    expect(entries.find((e) => e.command === 'library:import')?.keys).toEqual([]);
    expect(entries.find((e) => e.command === 'session:toggle-run')?.keys).toEqual(['F5', 'F6']);
  });

  it('shows chords that the key handler maps back to the same command', () => {
    for (const e of entries)
      for (const s of SHORTCUTS.filter((x) => x.command === e.command)) {
        const c = s.chord;
        expect(
          commandForKey({
            // What the browser reports: a shifted letter comes upper-case.
            key: c.shift === true && c.key.length === 1 ? c.key.toUpperCase() : c.key,
            ctrlKey: c.ctrl ?? false,
            metaKey: false,
            altKey: c.alt ?? false,
            shiftKey: c.shift ?? false,
          }),
          chordText(c),
        ).toBe(e.command);
      }
    expect(entries.find((e) => e.command === 'palette:open')?.keys).toEqual(['Ctrl+Shift+P']);
  });

  it('filters by words in the title or the keys, best matches first', () => {
    expect(filterPalette(entries, '')).toHaveLength(entries.length);
    expect(filterPalette(entries, 'conn').map((e) => e.command)[0]).toBe('session:connect');
    expect(filterPalette(entries, 'go console').map((e) => e.command)).toEqual(['tab:console']);
    expect(filterPalette(entries, 'ctrl+shift+l').map((e) => e.command)).toEqual([
      'view:toggle-theme',
    ]);
    expect(filterPalette(entries, 'THEME').map((e) => e.command)).toEqual(['view:toggle-theme']);
    expect(filterPalette(entries, 'xyzzy')).toEqual([]);
    // A title that starts with the word ranks before one that only contains it.
    const log = filterPalette(entries, 'live').map((e) => e.command);
    expect(log.indexOf('log:export')).toBeLessThan(log.indexOf('tab:log'));
  });
});
