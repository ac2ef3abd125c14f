// The event list's rows: each session event joined with the log's per-event statistics (records
// delivered, lost in the target and their rate), with the words the table shows. Pure (unit-tested).
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
  /**
   * Records lost in the target (HDBG2 sequence gaps) with their share, 'unknown' when the records
   * carry no sequence number (HDBG1), '—' for an event that prints nothing.
   */
  readonly lost: string;
  readonly lostCount: number;
  /** Why the loss reads as it does. */
  readonly lostTitle: string;
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

/** The Events table's tooltip on its `lost` column. */
export const LOST_HEADER_TITLE =
  'Records the target lost (its kernel ring overwrote them, or a line was cut), counted from the gaps in each core’s sequence numbers (docs/buffer-records.md §2a)';

/** `12 (3.4%)`: lost records and their share of the records the target made. */
export function formatLost(lost: number, delivered: number): string {
  if (lost <= 0) return '0';
  const share = (100 * lost) / (lost + delivered);
  const pct = share >= 10 ? share.toFixed(0) : share.toFixed(1);
  return `${lost.toLocaleString('en-US')} (${pct}%)`;
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
      lost: silent
        ? '—'
        : s?.lost == null
          ? count > 0
            ? 'unknown'
            : '0'
          : formatLost(s.lost, count),
      lostCount: s?.lost ?? 0,
      lostTitle:
        s !== undefined && s.lost === null && count > 0
          ? 'Its records carry no sequence number (HDBG1 lines): what the target lost cannot be counted. Bind a log form (HDBG2) to count it.'
          : 'Counted from the gaps in each core’s sequence numbers; a record arriving late fills its gap.',
      count,
      decodeWarning: s?.decodeWarning ?? null,
      canEnable: e.state === 'disabled',
      canDisable: e.state === 'active',
      canClear: e.state === 'active' || e.state === 'disabled',
    };
  });
}
