// The keyboard shortcuts, as data: which key chord runs which app command, in the page and in
// Electron's native menu, whose accelerators are derived from this table. Pure, so the map is
// unit-tested and neither the help text nor the menu can drift from what the keys do.
import type { MenuCommand } from '../contract/app';

export type AppCommand =
  | MenuCommand
  | 'library:focus-search'
  | 'library:new-code'
  | 'tab:editor'
  | 'tab:binder'
  | 'tab:log'
  | 'tab:counts'
  | 'tab:events'
  | 'tab:console'
  | 'tab:sessions'
  | 'tab:about'
  | 'console:focus'
  | 'palette:open';

export interface Chord {
  readonly key: string;
  readonly ctrl?: boolean;
  readonly alt?: boolean;
  readonly shift?: boolean;
}

export interface Shortcut {
  readonly chord: Chord;
  readonly command: AppCommand;
  readonly label: string;
}

/** A chord only the native menu binds. */
export interface MenuShortcut {
  readonly chord: Chord;
  readonly command: MenuCommand;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { chord: { key: 'k', ctrl: true }, command: 'library:focus-search', label: 'Search the library' },
  {
    chord: { key: 'n', ctrl: true, alt: true },
    command: 'library:new-code',
    label: 'New code action',
  },
  { chord: { key: 'o', ctrl: true, shift: true }, command: 'session:connect', label: 'Connect…' },
  { chord: { key: 'F5' }, command: 'session:toggle-run', label: 'Continue / unmute' },
  { chord: { key: 'F6' }, command: 'session:toggle-run', label: 'Pause / mute' },
  {
    chord: { key: 'Pause', ctrl: true },
    command: 'session:break',
    label: 'Break (Ctrl+C to the CLI)',
  },
  { chord: { key: 'Cancel', ctrl: true }, command: 'session:break', label: 'Break (Ctrl+Break)' },
  {
    chord: { key: 'l', ctrl: true, shift: true },
    command: 'view:toggle-theme',
    label: 'Dark / light theme',
  },
  { chord: { key: '1', alt: true }, command: 'tab:editor', label: 'Action editor' },
  { chord: { key: '2', alt: true }, command: 'tab:binder', label: 'Event binder' },
  { chord: { key: '3', alt: true }, command: 'tab:log', label: 'Live log' },
  { chord: { key: '4', alt: true }, command: 'tab:counts', label: 'Counts' },
  { chord: { key: '5', alt: true }, command: 'tab:events', label: 'Event list' },
  { chord: { key: '6', alt: true }, command: 'tab:console', label: 'Console' },
  { chord: { key: '7', alt: true }, command: 'tab:sessions', label: 'Sessions' },
  { chord: { key: '`', ctrl: true }, command: 'console:focus', label: 'Console input' },
  {
    chord: { key: 'p', ctrl: true, shift: true },
    command: 'palette:open',
    label: 'All commands (command palette)',
  },
];

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/** The command a key event runs; Cmd counts as Ctrl (macOS). */
export function commandForKey(e: KeyLike): AppCommand | null {
  const ctrl = e.ctrlKey || e.metaKey;
  for (const s of SHORTCUTS) {
    const c = s.chord;
    const keyMatches = c.key.length === 1 ? e.key.toLowerCase() === c.key : e.key === c.key;
    if (
      keyMatches &&
      ctrl === (c.ctrl ?? false) &&
      e.altKey === (c.alt ?? false) &&
      e.shiftKey === (c.shift ?? false)
    )
      return s.command;
  }
  return null;
}

/** Keys whose browser name is not what is printed on them. */
const KEY_NAMES: Readonly<Record<string, string>> = { Cancel: 'Break' };

/** `Ctrl+Shift+O`, for tooltips and the help list. */
export function chordText(c: Chord): string {
  return [
    c.ctrl ? 'Ctrl' : '',
    c.alt ? 'Alt' : '',
    c.shift ? 'Shift' : '',
    c.key.length === 1 ? c.key.toUpperCase() : (KEY_NAMES[c.key] ?? c.key),
  ]
    .filter(Boolean)
    .join('+');
}

/**
 * Chords only Electron's native menu binds. In a browser the page leaves them alone: Ctrl+O and
 * Ctrl+E keep their browser meaning. Break gets a chord the menu can show, because an
 * accelerator cannot name the Pause or Break key that the page binds.
 */
export const MENU_ONLY_SHORTCUTS: readonly MenuShortcut[] = [
  { chord: { key: 'o', ctrl: true }, command: 'library:import' },
  { chord: { key: 'e', ctrl: true }, command: 'log:export' },
  { chord: { key: 'b', ctrl: true, shift: true }, command: 'session:break' },
];

/** `CmdOrCtrl+Shift+O`, `F5`: a chord in Electron's accelerator syntax (Ctrl is Cmd on macOS). */
export function acceleratorText(c: Chord): string {
  return [
    c.ctrl ? 'CmdOrCtrl' : '',
    c.alt ? 'Alt' : '',
    c.shift ? 'Shift' : '',
    c.key.length === 1 ? c.key.toUpperCase() : c.key,
  ]
    .filter(Boolean)
    .join('+');
}

/**
 * The accelerator the native menu shows for `command`: its menu-only chord if it has one, else
 * the first chord the page binds to it; undefined when no chord runs it.
 */
export function menuAccelerator(command: MenuCommand): string | undefined {
  const chord = (
    MENU_ONLY_SHORTCUTS.find((s) => s.command === command) ??
    SHORTCUTS.find((s) => s.command === command)
  )?.chord;
  return chord === undefined ? undefined : acceleratorText(chord);
}

/**
 * Every app command by name, shortcut or not: the command palette lists this table with the
 * chords above (a Record, so a new command cannot be left out of the palette).
 */
export const COMMAND_TITLES: Readonly<Record<AppCommand, string>> = {
  'session:connect': 'Session: Connect…',
  'session:toggle-run': 'Session: Pause / continue (mute / unmute in VMI mode)',
  'session:break': 'Session: Break (Ctrl+C to the CLI)',
  'library:focus-search': 'Library: Search actions',
  'library:new-code': 'Library: New code action',
  'library:import': 'Library: Import actions…',
  'log:export': 'Live log: Export the filtered records to CSV',
  'console:focus': 'Console: Type a command',
  'view:toggle-theme': 'View: Dark / light theme',
  'tab:editor': 'Go to: Action editor',
  'tab:binder': 'Go to: Bind to event',
  'tab:log': 'Go to: Live log',
  'tab:counts': 'Go to: Counts',
  'tab:events': 'Go to: Event list',
  'tab:console': 'Go to: Console',
  'tab:sessions': 'Go to: Sessions (past captures)',
  'tab:about': 'Go to: About and keyboard shortcuts',
  'palette:open': 'Show all commands',
};
