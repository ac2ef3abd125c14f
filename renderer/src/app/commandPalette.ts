// The command palette's entries and search, derived from the one command table (shortcuts.ts):
// every app command with its title and key chords; a query matches when each of its words is
// found in the title or the keys, best matches first. Pure.
import {
  chordText,
  COMMAND_TITLES,
  SHORTCUTS,
  type AppCommand,
} from '../../../shared/ui/shortcuts';

export interface PaletteEntry {
  readonly command: AppCommand;
  readonly title: string;
  /** `Ctrl+Shift+O`, one per chord bound to the command (none: no shortcut). */
  readonly keys: readonly string[];
}

/** Every command, in the table's order, with the chords that run it. */
export function paletteEntries(): PaletteEntry[] {
  return (Object.keys(COMMAND_TITLES) as AppCommand[]).map((command) => ({
    command,
    title: COMMAND_TITLES[command],
    keys: SHORTCUTS.filter((s) => s.command === command).map((s) => chordText(s.chord)),
  }));
}

/** How well one entry matches the query's words: -1 for no match, higher is better. */
function score(e: PaletteEntry, words: readonly string[]): number {
  const title = e.title.toLowerCase();
  const keys = e.keys.join(' ').toLowerCase();
  let total = 0;
  for (const w of words) {
    const at = title.indexOf(w);
    if (at < 0) {
      if (!keys.includes(w)) return -1;
      total += 1;
      continue;
    }
    // At the start of the title, then at a word's start, then anywhere.
    total += at === 0 ? 4 : /[\s:/(]/.test(title[at - 1] ?? '') ? 3 : 2;
  }
  return total;
}

/** The entries matching `query` (all of them when it is blank), best first, ties in order. */
export function filterPalette(entries: readonly PaletteEntry[], query: string): PaletteEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  return entries
    .map((e, i) => ({ e, i, s: score(e, words) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.e);
}
