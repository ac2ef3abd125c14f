// The live log's keyboard shortcuts, as data: which key does what, and the help text built from
// the same table so the tooltip cannot drift from the keys. Plain keys only act while focus is
// in the log pane (or nowhere), never while typing in a field. Pure.

export type LogKeyCommand =
  | 'toggle-pause'
  | 'follow'
  | 'focus-filter'
  | 'next-row'
  | 'prev-row'
  | 'page-down'
  | 'page-up'
  | 'first-row'
  | 'last-row'
  | 'toggle-detail'
  | 'close-detail';

export interface LogShortcut {
  readonly keys: readonly string[];
  readonly command: LogKeyCommand;
  readonly label: string;
  /** Also with Ctrl (or Cmd). */
  readonly ctrl?: boolean;
}

export const LOG_SHORTCUTS: readonly LogShortcut[] = [
  { keys: ['p', 'Pause'], command: 'toggle-pause', label: 'Pause / resume the view' },
  { keys: ['f'], command: 'follow', label: 'Follow the newest record' },
  { keys: ['/'], command: 'focus-filter', label: 'Focus the text filter' },
  { keys: ['f'], ctrl: true, command: 'focus-filter', label: 'Focus the text filter' },
  { keys: ['ArrowDown', 'j'], command: 'next-row', label: 'Next record' },
  { keys: ['ArrowUp', 'k'], command: 'prev-row', label: 'Previous record' },
  { keys: ['PageDown'], command: 'page-down', label: 'Page down' },
  { keys: ['PageUp'], command: 'page-up', label: 'Page up' },
  { keys: ['Home'], command: 'first-row', label: 'First record' },
  { keys: ['End'], command: 'last-row', label: 'Newest record (and follow)' },
  { keys: ['Enter'], command: 'toggle-detail', label: 'Show / hide the bytes of the record' },
  { keys: ['Escape'], command: 'close-detail', label: 'Close the details' },
];

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/** The command a key runs in the log pane, or null (other keys, or chords of other panes). */
export function logCommandForKey(e: KeyLike): LogKeyCommand | null {
  if (e.altKey) return null;
  const ctrl = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  for (const s of LOG_SHORTCUTS) {
    if ((s.ctrl ?? false) !== ctrl) continue;
    // Shift is allowed only where it changes nothing the key means ('/' may need it).
    if (e.shiftKey && key !== '/') continue;
    if (s.keys.includes(key)) return s.command;
  }
  return null;
}

function keyText(k: string, ctrl: boolean): string {
  const base =
    k === 'ArrowDown' ? '↓' : k === 'ArrowUp' ? '↑' : k.length === 1 ? k.toUpperCase() : k;
  return ctrl ? `Ctrl+${base}` : base;
}

/** `P / Pause: Pause / resume the view`, one line per command. */
export function shortcutHelp(): string {
  return LOG_SHORTCUTS.map(
    (s) => `${s.keys.map((k) => keyText(k, s.ctrl ?? false)).join(' / ')}: ${s.label}`,
  ).join('\n');
}

/** The keys of one command, for a button's title: `P / Pause`. */
export function keysFor(command: LogKeyCommand): string {
  return LOG_SHORTCUTS.filter((s) => s.command === command)
    .flatMap((s) => s.keys.map((k) => keyText(k, s.ctrl ?? false)))
    .join(' / ');
}
