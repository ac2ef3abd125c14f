// Bottom region: the live log, counts (and later the event list and the console) as tabs. Each
// tab is one entry of BOTTOM_TABS; panels stay mounted while hidden so a tab switch keeps the
// log's scroll position and filter, and only the visible panel does per-frame work.
import type { KeyboardEvent, ReactNode } from 'react';
import { ConsolePane } from '../../console/ConsolePane';
import { EventList } from '../../events/EventList';
import { CountsPane } from '../../log/CountsPane';
import { LiveLogPane } from '../../log/LiveLogPane';
import { formatCount } from '../../log/format';
import { useLogStore } from '../../log/useLogStore';
import { SessionsPane } from '../../sessions/SessionsPane';
import { updateUi, useUi, type BottomTab } from '../appStore';

export interface BottomTabDef {
  readonly id: BottomTab;
  readonly label: string;
  readonly render: (active: boolean) => ReactNode;
  /** A small count beside the label (the log's records), or nothing. */
  readonly useBadge?: () => string | null;
  /** What the count counts, for its tooltip. */
  readonly badgeMeaning?: string;
}

function useRecordCount(): string | null {
  const { store } = useLogStore();
  return store.total > 0 ? formatCount(store.total) : null;
}

/** Add a tab here: the strip, keyboard navigation and panels follow. */
export const BOTTOM_TABS: readonly BottomTabDef[] = [
  {
    id: 'log',
    label: 'Live log',
    render: (active) => <LiveLogPane active={active} />,
    useBadge: useRecordCount,
    badgeMeaning: "records in this session's database",
  },
  { id: 'counts', label: 'Counts', render: (active) => <CountsPane active={active} /> },
  { id: 'events', label: 'Events', render: () => <EventList /> },
  { id: 'console', label: 'Console', render: () => <ConsolePane /> },
  { id: 'sessions', label: 'Sessions', render: (active) => <SessionsPane active={active} /> },
];

export function BottomRegion() {
  const current = useUi((s) => s.bottomTab);
  const active = BOTTOM_TABS.some((t) => t.id === current) ? current : 'log';
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = BOTTOM_TABS.findIndex((t) => t.id === active);
    const step = e.key === 'ArrowRight' ? 1 : -1;
    const next = BOTTOM_TABS[(i + step + BOTTOM_TABS.length) % BOTTOM_TABS.length];
    if (next !== undefined) updateUi({ bottomTab: next.id });
  };
  return (
    <section className="region region-bottom bottom-region" aria-label="Log and counts">
      <div className="tabs bottom-tabs" role="tablist" aria-label="Bottom panes" onKeyDown={onKey}>
        {BOTTOM_TABS.map((t) => (
          <TabButton key={t.id} tab={t} selected={t.id === active} />
        ))}
      </div>
      {BOTTOM_TABS.map((t) => (
        <div
          key={t.id}
          className="bottom-panel"
          role="tabpanel"
          id={`bottom-panel-${t.id}`}
          aria-labelledby={`bottom-tab-${t.id}`}
          hidden={t.id !== active}
        >
          {t.render(t.id === active)}
        </div>
      ))}
    </section>
  );
}

function TabButton({ tab, selected }: { tab: BottomTabDef; selected: boolean }) {
  const badge = tab.useBadge?.() ?? null;
  return (
    <button
      type="button"
      role="tab"
      id={`bottom-tab-${tab.id}`}
      aria-controls={`bottom-panel-${tab.id}`}
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      className={`tab${selected ? ' on' : ''}`}
      data-testid={`tab-${tab.id}`}
      onClick={() => updateUi({ bottomTab: tab.id })}
    >
      {tab.label}
      {badge !== null && (
        <span className="tab-count" title={`${badge} ${tab.badgeMeaning ?? ''}`.trim()}>
          {badge}
        </span>
      )}
    </button>
  );
}
