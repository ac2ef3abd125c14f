// A tab strip (WAI-ARIA tabs pattern): arrow keys move between tabs, the active one is in the
// tab order.
import type { KeyboardEvent } from 'react';

export interface TabDef<T extends string> {
  readonly id: T;
  readonly label: string;
  readonly hint?: string;
  readonly badge?: string | number | null;
}

export function Tabs<T extends string>(props: {
  readonly tabs: readonly TabDef<T>[];
  readonly current: T;
  onSelect(id: T): void;
  readonly label: string;
}) {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = props.tabs.findIndex((t) => t.id === props.current);
    const next =
      props.tabs[(i + (e.key === 'ArrowRight' ? 1 : -1) + props.tabs.length) % props.tabs.length];
    if (next !== undefined) props.onSelect(next.id);
  };
  return (
    <div className="tabs" role="tablist" aria-label={props.label} onKeyDown={onKey}>
      {props.tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={t.id === props.current}
          tabIndex={t.id === props.current ? 0 : -1}
          className={`tab${t.id === props.current ? ' on' : ''}`}
          title={t.hint ? `${t.label} (${t.hint})` : t.label}
          data-testid={`tab-${t.id}`}
          onClick={() => props.onSelect(t.id)}
        >
          {t.label}
          {t.badge !== undefined && t.badge !== null && (
            <span className="tab-badge">{t.badge}</span>
          )}
        </button>
      ))}
    </div>
  );
}
