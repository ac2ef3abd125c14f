// The live log's columns, as data: which exist (the fixed ones, one per decoded field, the
// bytes), which the user hid and how wide they made them (kept in localStorage, read as hostile
// input), the CSS grid they make, and the sort a header click asks for. Pure.
import type { LogSort, SortColumn } from '../../../shared/log/logSort';

export type ColumnId =
  'time' | 'event' | 'core' | 'context' | 'action' | 'data' | `field:${string}`;

export interface ColumnDef {
  readonly id: ColumnId;
  readonly label: string;
  /** What the column holds, for the header's tooltip. */
  readonly title: string;
  /** The host's sort column, or null when the column does not sort. */
  readonly sort: SortColumn | null;
  /** Grid track while the user has not resized it. */
  readonly track: string;
  /** Narrowest it can be dragged to, in px. */
  readonly minPx: number;
}

export interface ColumnLayout {
  /** Column ids the user hid. */
  readonly hidden: readonly string[];
  /** Widths the user dragged, px by column id. */
  readonly widths: Readonly<Record<string, number>>;
}

export const DEFAULT_LAYOUT: ColumnLayout = { hidden: [], widths: {} };
/** A dragged column stays between these (px): findable, and never wider than a wide screen. */
export const MIN_COLUMN_PX = 36;
export const MAX_COLUMN_PX = 1600;
/** Grid gap between columns and the row's side padding, px (log.css `column-gap`, padding). */
export const COLUMN_GAP_PX = 8;
const ROW_PADDING_PX = 16;
/** Stored layouts hold at most this many entries: enough for every field of many actions. */
const MAX_STORED_ENTRIES = 200;
const MAX_ID_CHARS = 140;

const FIXED: readonly ColumnDef[] = [
  {
    id: 'time',
    label: 'Time',
    title: 'When the host received the record (local time); sorts by arrival order',
    sort: 'time',
    track: '96px',
    minPx: 60,
  },
  {
    id: 'event',
    label: 'Event',
    title: 'Event id (hex) as `events` lists it',
    sort: 'event',
    track: '64px',
    minPx: MIN_COLUMN_PX,
  },
  {
    id: 'core',
    label: 'Core',
    title: 'The processor core that ran the action',
    sort: 'core',
    track: '44px',
    minPx: MIN_COLUMN_PX,
  },
  {
    id: 'context',
    label: 'Context',
    title:
      "The event's Context (hex): for !syscall the system-call number, for hooks the address; the event kind says which",
    sort: 'context',
    track: 'minmax(70px, 140px)',
    minPx: MIN_COLUMN_PX,
  },
  {
    id: 'action',
    label: 'Action',
    title: 'The library action whose buffer schema decoded the record',
    sort: 'action',
    track: 'minmax(110px, 230px)',
    minPx: 60,
  },
];

const DATA: ColumnDef = {
  id: 'data',
  label: 'Data',
  title: 'The bytes, when no buffer schema decodes them (the details show them all)',
  sort: null,
  track: 'minmax(120px, 1.4fr)',
  minPx: 60,
};

/** Every column for these decoded fields, in table order. */
export function allColumns(fieldNames: readonly string[]): ColumnDef[] {
  return [
    ...FIXED,
    ...fieldNames.map((name): ColumnDef => ({
      id: `field:${name}`,
      label: name,
      title: `Decoded field ${name} (double-click a value to filter by it)`,
      sort: `field:${name}`,
      track: 'minmax(90px, 1fr)',
      minPx: MIN_COLUMN_PX,
    })),
    DATA,
  ];
}

/** The columns shown; never none (the last one cannot be hidden). */
export function visibleColumns(all: readonly ColumnDef[], layout: ColumnLayout): ColumnDef[] {
  const shown = all.filter((c) => !layout.hidden.includes(c.id));
  return shown.length > 0 ? shown : all.slice(0, 1);
}

/** The CSS grid tracks: a dragged width is fixed, the others keep their flexible track. */
export function gridTemplate(cols: readonly ColumnDef[], layout: ColumnLayout): string {
  return cols
    .map((c) => {
      const w = layout.widths[c.id];
      return w === undefined ? c.track : `${w}px`;
    })
    .join(' ');
}

/** The narrowest the row can be, px: past this the table scrolls sideways. */
export function minRowWidth(cols: readonly ColumnDef[], layout: ColumnLayout): number {
  let px = ROW_PADDING_PX + COLUMN_GAP_PX * Math.max(0, cols.length - 1);
  for (const c of cols) {
    const w = layout.widths[c.id];
    if (w !== undefined) px += w;
    else {
      // The track's fixed size or its minmax() minimum.
      const m = /^(?:minmax\()?(\d+)px/.exec(c.track);
      px += m === null ? c.minPx : Number(m[1]);
    }
  }
  return px;
}

export function withWidth(layout: ColumnLayout, id: string, px: number): ColumnLayout {
  const w = Math.round(Math.min(MAX_COLUMN_PX, Math.max(MIN_COLUMN_PX, px)));
  return { ...layout, widths: { ...layout.widths, [id]: w } };
}

/** Back to the column's flexible width. */
export function withoutWidth(layout: ColumnLayout, id: string): ColumnLayout {
  const widths = { ...layout.widths };
  delete widths[id];
  return { ...layout, widths };
}

/** Shows or hides a column; the last visible one of `all` stays. */
export function withToggled(
  layout: ColumnLayout,
  id: string,
  all: readonly ColumnDef[],
): ColumnLayout {
  if (layout.hidden.includes(id))
    return { ...layout, hidden: layout.hidden.filter((h) => h !== id) };
  const hidden = [...layout.hidden, id];
  if (all.every((c) => hidden.includes(c.id))) return layout;
  return { ...layout, hidden };
}

/** A stored layout; anything malformed is dropped, never trusted. */
export function parseLayout(json: string | null): ColumnLayout {
  if (json === null) return DEFAULT_LAYOUT;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return DEFAULT_LAYOUT;
  }
  if (typeof v !== 'object' || v === null) return DEFAULT_LAYOUT;
  const o = v as { hidden?: unknown; widths?: unknown };
  const okId = (x: unknown): x is string =>
    typeof x === 'string' && x.length > 0 && x.length <= MAX_ID_CHARS;
  const hidden = Array.isArray(o.hidden)
    ? [...new Set(o.hidden.filter(okId))].slice(0, MAX_STORED_ENTRIES)
    : [];
  const widths: Record<string, number> = {};
  if (typeof o.widths === 'object' && o.widths !== null && !Array.isArray(o.widths))
    for (const [id, w] of Object.entries(o.widths).slice(0, MAX_STORED_ENTRIES))
      if (okId(id) && typeof w === 'number' && Number.isFinite(w))
        widths[id] = Math.round(Math.min(MAX_COLUMN_PX, Math.max(MIN_COLUMN_PX, w)));
  return { hidden, widths };
}

/** A header click: ascending, then descending, then back to arrival order. */
export function nextSort(current: LogSort | null, column: SortColumn): LogSort | null {
  if (current === null || current.column !== column) return { column, dir: 'asc' };
  return current.dir === 'asc' ? { column, dir: 'desc' } : null;
}
