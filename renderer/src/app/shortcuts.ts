// The keyboard shortcuts, as data: which key chord runs which app command. Pure, so the map is
// unit-tested and the help text cannot drift from what the keys do.
import type { MenuCommand } from '../../../shared/contract/app';

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
  | 'console:focus';

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

/** `Ctrl+Shift+O`, for tooltips and the help list. */
export function chordText(c: Chord): string {
  return [
    c.ctrl ? 'Ctrl' : '',
    c.alt ? 'Alt' : '',
    c.shift ? 'Shift' : '',
    c.key.length === 1 ? c.key.toUpperCase() : c.key,
  ]
    .filter(Boolean)
    .join('+');
}
