// UI state shared across panes (which action is selected, which tabs are open), kept outside
// React in a tiny store read with useSyncExternalStore, so panes in different regions can
// coordinate without prop chains. Renderer only.
import { useSyncExternalStore } from 'react';

export type MainTab = 'editor' | 'binder';
export type BottomTab = 'log' | 'counts' | 'events' | 'console';

export interface AppUiState {
  readonly theme: 'dark' | 'light';
  readonly selectedActionId: string | null;
  readonly mainTab: MainTab;
  readonly bottomTab: BottomTab;
  /** Actions the event binder starts from (set by "Bind to event…" in the library). */
  readonly bindActionIds: readonly string[];
}

const THEME_KEY = 'hds.theme';

function initialTheme(): 'dark' | 'light' {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    // Storage can be unavailable (privacy settings): fall back to the system preference.
  }
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

let state: AppUiState = {
  theme: initialTheme(),
  selectedActionId: null,
  mainTab: 'editor',
  bottomTab: 'log',
  bindActionIds: [],
};
const listeners = new Set<() => void>();

export function getUiState(): AppUiState {
  return state;
}

export function updateUi(patch: Partial<AppUiState>): void {
  state = { ...state, ...patch };
  if (patch.theme !== undefined) {
    try {
      localStorage.setItem(THEME_KEY, patch.theme);
    } catch {
      // Not persisted; the choice still applies to this window.
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
