// The live log's column layout (hidden columns, dragged widths) for this browser profile: kept in
// localStorage, read back through parseLayout (a stored value is hostile input), shared by the
// table and the Columns menu. Renderer only.
import { useSyncExternalStore } from 'react';
import { DEFAULT_LAYOUT, parseLayout, type ColumnLayout } from './logColumns';

const LAYOUT_KEY = 'hds.log.columns';

function load(): ColumnLayout {
  try {
    return parseLayout(localStorage.getItem(LAYOUT_KEY));
  } catch {
    // Storage unavailable (privacy settings): the defaults, for this window only.
    return DEFAULT_LAYOUT;
  }
}

let layout: ColumnLayout = load();
const listeners = new Set<() => void>();

export function getColumnLayout(): ColumnLayout {
  return layout;
}

/** Replaces the layout; `persist` false while a drag is under way (saved when it ends). */
export function setColumnLayout(next: ColumnLayout, persist = true): void {
  layout = next;
  if (persist)
    try {
      localStorage.setItem(LAYOUT_KEY, JSON.stringify(next));
    } catch {
      // Not persisted; it still applies to this window.
    }
  for (const l of listeners) l();
}

export function useColumnLayout(): ColumnLayout {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    () => layout,
  );
}
