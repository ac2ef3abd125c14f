// The event list's rows: each session event joined with the log's per-event statistics (records
// received and their rate), with the words the table shows. Pure (unit-tested).
import type { EventInfo, EventLifecycle } from '../../../shared/contract/session';
import type { LogEventStats } from '../../../shared/contract/log';

export interface EventRow {
  readonly id: string;
  readonly state: EventLifecycle;
  readonly command: string;
  /** The action(s) that made it, or how it came to be. */
  readonly origin: string;
  /** Records received, or '—' for an event that prints nothing. */
  readonly hits: string;
  /** Records per second now, or '—'. */
  readonly rate: string;
  readonly count: number;
  /** Decode sanity: what looks wrong in its first records, and the likely cause. */
  readonly decodeWarning: string | null;
  readonly canEnable: boolean;
  readonly canDisable: boolean;
  readonly canClear: boolean;
}

export const STATE_LABELS: Readonly<Record<EventLifecycle, string>> = {
  active: 'enabled',
  disabled: 'disabled',
  'clear-pending': 'cleared (after continue)',
  cleared: 'cleared',
};

/** Per-second rates shown with one decimal below 10, whole above. */
export function formatRate(r: number): string {
  if (!Number.isFinite(r) || r <= 0) return '0/s';
  return r < 10 ? `${r.toFixed(1)}/s` : `${Math.round(r).toLocaleString('en-US')}/s`;
}

export function eventRows(
  events: readonly EventInfo[],
  stats: readonly LogEventStats[],
  generation: number,
): EventRow[] {
  const byId = new Map<number, LogEventStats>();
  for (const s of stats) if (s.generation === generation) byId.set(s.eventId, s);
  return events.map((e) => {
    const s = byId.get(Number.parseInt(e.id, 16));
    const count = s?.count ?? 0;
    const silent = !e.printsRecords && count === 0;
    return {
      id: e.id,
      state: e.state,
      command: e.command,
      origin:
        e.source !== null && e.source.actionNames.length > 0
          ? e.source.actionNames.join(' + ')
          : e.foreign
            ? 'typed in the console'
            : '—',
      hits: silent ? '—' : count.toLocaleString('en-US'),
      rate: silent ? '—' : formatRate(s?.rate ?? 0),
      count,
      decodeWarning: s?.decodeWarning ?? null,
      canEnable: e.state === 'disabled',
      canDisable: e.state === 'active',
      canClear: e.state === 'active' || e.state === 'disabled',
    };
  });
}
