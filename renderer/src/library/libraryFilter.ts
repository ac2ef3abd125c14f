// Which actions the library pane lists: free-text search over name, description and tags, and
// tag chips that must all match. Pure, so it is unit-tested without a browser.
import type { ActionSummary } from '../../../shared/model/action';

export interface LibraryFilter {
  readonly text: string;
  /** Lower-case tags that must all be present. */
  readonly tags: readonly string[];
  readonly showDeleted: boolean;
}

export const EMPTY_FILTER: LibraryFilter = { text: '', tags: [], showDeleted: false };

/** Search words must all occur (any order) in the name, description, tags or kind. */
export function matchesFilter(a: ActionSummary, f: LibraryFilter): boolean {
  if (!f.showDeleted && a.deletedAt !== null) return false;
  const tags = a.tags.map((t) => t.toLowerCase());
  if (!f.tags.every((t) => tags.includes(t))) return false;
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [a.name, a.description, a.kind, ...tags, ...a.eventKinds, a.builtin ? 'built-in' : '']
    .join('\n')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** Live actions first (by name), deleted ones after them. */
export function filterActions(list: readonly ActionSummary[], f: LibraryFilter): ActionSummary[] {
  return list
    .filter((a) => matchesFilter(a, f))
    .sort(
      (a, b) =>
        Number(a.deletedAt !== null) - Number(b.deletedAt !== null) ||
        a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
    );
}

/** Every tag in use with how many live actions carry it, most used first. */
export function tagCounts(list: readonly ActionSummary[]): { tag: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const a of list) {
    if (a.deletedAt !== null) continue;
    for (const t of a.tags) counts.set(t.toLowerCase(), (counts.get(t.toLowerCase()) ?? 0) + 1);
  }
  return [...counts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}

/** A name not yet taken: `base`, else `base 2`, `base 3`... (case-insensitive, as the store). */
export function freeName(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base} ${i}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
