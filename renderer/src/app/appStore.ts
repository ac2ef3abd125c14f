// UI state shared across panes (which action is selected, which tabs are open, dialogs), kept
// outside React in a tiny store read with useSyncExternalStore, so panes in different regions
// can coordinate without prop chains. Renderer only.
import { useSyncExternalStore } from 'react';
import type { TransportState } from './hostHealth';

export type MainTab = 'editor' | 'binder' | 'about';
export type BottomTab = 'log' | 'counts' | 'events' | 'console' | 'sessions';
export type { TransportState } from './hostHealth';

export interface AppUiState {
  readonly theme: 'dark' | 'light';
  readonly selectedActionId: string | null;
  readonly mainTab: MainTab;
  readonly bottomTab: BottomTab;
  /** Actions the event binder starts from (set by "Bind to event…" in the library). */
  readonly bindActionIds: readonly string[];
  /** Bumped each time "Bind to event…" is asked, so the binder re-reads bindActionIds. */
  readonly bindRequest: number;
  /** The connection dialog is open. */
  readonly connectDialogOpen: boolean;
  /** The command palette is open. */
  readonly paletteOpen: boolean;
  /** The transport to the host (WebSocket in browser mode): panes re-read state when it reopens. */
  readonly transport: TransportState;
  /** Bumped by the "focus the library search" shortcut. */
  readonly focusSearchRequest: number;
  /** Bumped by the "focus the console input" shortcut. */
  readonly focusConsoleRequest: number;
  /** Share of the right column's height the main region takes (the rest is the bottom). */
  readonly mainShare: number;
}

const THEME_KEY = 'hds.theme';
const SPLIT_KEY = 'hds.mainShare';
/** The split between editor and log stays where each keeps a usable height. */
export const MIN_MAIN_SHARE = 0.2;
export const MAX_MAIN_SHARE = 0.8;
/** The editor is where the work is; the log below still shows a dozen rows. */
export const DEFAULT_MAIN_SHARE = 0.6;

export function clampShare(x: number): number {
  return Math.min(
    MAX_MAIN_SHARE,
    Math.max(MIN_MAIN_SHARE, Number.isFinite(x) ? x : DEFAULT_MAIN_SHARE),
  );
}

function initialShare(): number {
  try {
    const saved = Number(localStorage.getItem(SPLIT_KEY));
    if (saved > 0) return clampShare(saved);
  } catch {
    // Default below.
  }
  return DEFAULT_MAIN_SHARE;
}

function initialTheme(): 'dark' | 'light' {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    // Storage can be unavailable (privacy settings): fall back to the system preference.
  }
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

/**
 * The theme attribute is set here, before any component renders or runs an effect, so panes
 * that read the theme's CSS variables at mount (xterm, CodeMirror) get the right colours.
 */
function applyTheme(theme: 'dark' | 'light'): void {
  document.documentElement.dataset.theme = theme;
}

let state: AppUiState = {
  theme: initialTheme(),
  selectedActionId: null,
  mainTab: 'editor',
  bottomTab: 'log',
  bindActionIds: [],
  bindRequest: 0,
  connectDialogOpen: false,
  paletteOpen: false,
  transport: 'connecting',
  focusSearchRequest: 0,
  focusConsoleRequest: 0,
  mainShare: initialShare(),
};
const listeners = new Set<() => void>();
applyTheme(state.theme);

export function getUiState(): AppUiState {
  return state;
}

export function updateUi(patch: Partial<AppUiState>): void {
  state = { ...state, ...patch };
  if (patch.theme !== undefined) {
    applyTheme(patch.theme);
    try {
      localStorage.setItem(THEME_KEY, patch.theme);
    } catch {
      // Not persisted; the choice still applies to this window.
    }
  }
  if (patch.mainShare !== undefined) {
    try {
      localStorage.setItem(SPLIT_KEY, String(patch.mainShare));
    } catch {
      // Not persisted.
    }
  }
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => void listeners.delete(l);
}

/** Reads one slice of the UI state; re-renders only when that slice changes. */
export function useUi<T>(select: (s: AppUiState) => T): T {
  return useSyncExternalStore(subscribe, () => select(state));
}

/** Opens the binder on these actions (the library's "Bind to event…"). */
export function requestBind(actionIds: readonly string[]): void {
  updateUi({ bindActionIds: actionIds, bindRequest: state.bindRequest + 1, mainTab: 'binder' });
}

export function toggleTheme(): void {
  updateUi({ theme: state.theme === 'dark' ? 'light' : 'dark' });
}
