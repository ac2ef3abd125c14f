// Short-lived notices at the bottom of the window ("Deleted X · Undo", "Exported 3 actions"),
// with an optional action button. A store outside React so any pane can raise one. Renderer only.
import { useSyncExternalStore } from 'react';

/** How long a notice stays, in ms: long enough to read a sentence and reach Undo. */
const TOAST_MS = 7000;
/** Older notices make room: more than this at once is noise. */
const MAX_TOASTS = 4;

export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: 'info' | 'ok' | 'error';
  readonly action?: { readonly label: string; readonly run: () => void };
}

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function showToast(
  text: string,
  tone: Toast['tone'] = 'info',
  action?: Toast['action'],
): number {
  const id = nextId++;
  toasts = [...toasts, { id, text, tone, action }].slice(-MAX_TOASTS);
  emit();
  setTimeout(() => dismissToast(id), TOAST_MS);
  return id;
}

export function dismissToast(id: number): void {
  const next = toasts.filter((t) => t.id !== id);
  if (next.length === toasts.length) return;
  toasts = next;
  emit();
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    () => toasts,
  );
}
