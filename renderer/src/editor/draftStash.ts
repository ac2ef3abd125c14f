// Unsaved edits per action, kept while the user looks at another action, so switching in the
// library never throws work away; the library marks actions that have one. Renderer only.
import { useSyncExternalStore } from 'react';
import type { EditorDraft } from './editorDraft';

export interface StashedDraft {
  /** The version the edit started from: a stash of an older version is still offered, with the conflict banner. */
  readonly baseVersion: number;
  readonly draft: EditorDraft;
}

let stash: ReadonlyMap<string, StashedDraft> = new Map();
const listeners = new Set<() => void>();

export function stashedDraft(id: string): StashedDraft | undefined {
  return stash.get(id);
}

export function stashDraft(id: string, value: StashedDraft | null): void {
  const had = stash.has(id);
  if (value === null && !had) return;
  const next = new Map(stash);
  if (value === null) next.delete(id);
  else next.set(id, value);
  stash = next;
  for (const l of listeners) l();
}

/** Ids of actions with unsaved edits. */
export function useUnsavedIds(): ReadonlySet<string> {
  const map = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    () => stash,
  );
  return new Set(map.keys());
}
