// The live log's table: a virtualized list of fixed-height rows under a header whose columns
// (time, event, core, Context, action, one per decoded field, the bytes) sort on click, resize by
// dragging their edge (or arrow keys on it) and can be hidden (the Columns menu); the layout is
// kept per browser profile. Rows come from the store's page cache; a row not fetched yet shows as
// a placeholder until its page arrives. Wider than the pane, the table scrolls sideways.
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react';
import type { LogRow } from '../../../shared/contract/log';
import { VirtualList } from '../components/VirtualList';
import { getColumnLayout, setColumnLayout, useColumnLayout } from './columnLayoutStore';
import { formatTime, spacedHex } from './format';
import {
  allColumns,
  gridTemplate,
  minRowWidth,
  visibleColumns,
  withoutWidth,
  withWidth,
  type ColumnDef,
} from './logColumns';
import { keysFor } from './logKeys';
import type { LogViewStore } from './logViewStore';

/** One line of 13 px text with padding: dense like Process Monitor, still easy to click. */
export const LOG_ROW_HEIGHT = 22;
/** One arrow-key press on a column edge changes its width by this many px. */
const RESIZE_KEY_STEP_PX = 16;

interface Props {
  readonly store: LogViewStore;
  readonly fieldNames: readonly string[];
  /** Version of the store, so the row renderer changes when the rows do. */
  readonly version: number;
}

export function LogTable({ store, fieldNames, version }: Props) {
  const layout = useColumnLayout();
  const all = useMemo(() => allColumns(fieldNames), [fieldNames]);
  const columns = useMemo(() => visibleColumns(all, layout), [all, layout]);
  const headRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  const onCellDoubleClick = useCallback(
    (e: MouseEvent<HTMLDivElement>) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>('[data-field]');
      const field = el?.dataset.field;
      const value = el?.dataset.value;
      if (field !== undefined && value !== undefined)
        void store.addField({ field, op: 'equals', value });
    },
    [store],
  );

  // The header scrolls sideways with the rows.
  useEffect(() => {
    const list = bodyRef.current?.querySelector<HTMLElement>('[data-testid="log-rows"]');
    if (list === null || list === undefined) return;
    const sync = () => {
      if (headRef.current !== null) headRef.current.scrollLeft = list.scrollLeft;
    };
    list.addEventListener('scroll', sync, { passive: true });
    return () => list.removeEventListener('scroll', sync);
  }, []);

  // A new sort is read from its first row.
  const sortKey = store.sort === null ? '' : `${store.sort.column} ${store.sort.dir}`;
  useEffect(() => {
    const list = bodyRef.current?.querySelector<HTMLElement>('[data-testid="log-rows"]');
    if (list !== null && list !== undefined && sortKey !== '') list.scrollTop = 0;
  }, [sortKey]);

  const renderRow = useCallback(
    (i: number) => (
      <RowView
        pos={i}
        row={store.row(i)}
        columns={columns}
        selected={store.selected === i}
        store={store}
      />
    ),
    // `version` changes whenever rows, selection or counts do.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, columns, version],
  );

  const sort = store.sort;
  const style = {
    ['--log-cols' as string]: gridTemplate(columns, layout),
    ['--log-min-width' as string]: `${minRowWidth(columns, layout)}px`,
  };
  return (
    <div className="log-table" style={style} onDoubleClick={onCellDoubleClick} ref={bodyRef}>
      <div className="log-head-scroll" ref={headRef}>
        <div className="log-head" role="row" data-testid="log-head">
          {columns.map((c) => (
            <HeaderCell
              key={c.id}
              column={c}
              sorted={sort !== null && sort.column === c.sort ? sort.dir : null}
              onSort={() => c.sort !== null && void store.sortBy(c.sort)}
            />
          ))}
        </div>
      </div>
      <VirtualList
        rowCount={store.rowCount}
        rowHeight={LOG_ROW_HEIGHT}
        renderRow={renderRow}
        follow={store.follow && !store.paused && sort === null}
        onFollowChange={store.setFollow}
        onRangeChange={store.setVisibleRange}
        className="log-rows"
        ariaLabel={`Records (${keysFor('next-row')} to move, ${keysFor('toggle-detail')} for bytes; double-click a value to filter by it)`}
        testId="log-rows"
      />
    </div>
  );
}

function HeaderCell(props: {
  readonly column: ColumnDef;
  readonly sorted: 'asc' | 'desc' | null;
  onSort(): void;
}) {
  const { column: c, sorted } = props;
  const cellRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; width: number } | null>(null);

  const resizeTo = (px: number, persist: boolean) =>
    setColumnLayout(withWidth(getColumnLayout(), c.id, Math.max(c.minPx, px)), persist);
  const onDown = (e: PointerEvent<HTMLSpanElement>) => {
    const cell = cellRef.current;
    if (cell === null) return;
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, width: cell.getBoundingClientRect().width };
  };
  const onMove = (e: PointerEvent<HTMLSpanElement>) => {
    const d = drag.current;
    if (d !== null) resizeTo(d.width + e.clientX - d.x, false);
  };
  const onUp = (e: PointerEvent<HTMLSpanElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d !== null) resizeTo(d.width + e.clientX - d.x, true);
  };
  const onKey = (e: KeyboardEvent<HTMLSpanElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const width = cellRef.current?.getBoundingClientRect().width ?? c.minPx;
    resizeTo(width + (e.key === 'ArrowRight' ? RESIZE_KEY_STEP_PX : -RESIZE_KEY_STEP_PX), true);
  };
  const ariaSort = sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none';
  return (
    <div
      ref={cellRef}
      className="log-head-cell"
      role="columnheader"
      aria-sort={c.sort === null ? undefined : ariaSort}
      data-column={c.id}
      title={c.title}
    >
      {c.sort === null ? (
        <span className="log-head-label">{c.label}</span>
      ) : (
        <button
          type="button"
          className="log-sort"
          data-testid={`log-sort-${c.id}`}
          title={`${c.title}. Click to sort (ascending, descending, arrival order)`}
          onClick={props.onSort}
        >
          <span className="log-head-label">{c.label}</span>
          {sorted !== null && (
            <span className="log-sort-mark" aria-hidden="true">
              {sorted === 'asc' ? '▲' : '▼'}
            </span>
          )}
        </button>
      )}
      <span
        className="log-resize"
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${c.label} (arrow keys; double-click: automatic width)`}
        tabIndex={0}
        data-testid={`log-resize-${c.id}`}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
        onKeyDown={onKey}
        onDoubleClick={(e) => {
          e.stopPropagation();
          setColumnLayout(withoutWidth(getColumnLayout(), c.id));
        }}
      />
    </div>
  );
}

/** A cell's text and tooltip; the full value is always reachable (title, details). */
function Cell({ column, row }: { column: ColumnDef; row: LogRow }) {
  switch (column.id) {
    case 'time':
      return (
        <span className="mono" title={new Date(row.receivedAt).toISOString()}>
          {formatTime(row.receivedAt)}
        </span>
      );
    case 'event':
      return (
        <span
          className="mono"
          title={`event 0x${row.eventId.toString(16)}, CLI run ${row.generation}`}
        >
          {row.eventId.toString(16)}
        </span>
      );
    case 'core':
      return <span className="mono">{row.core}</span>;
    case 'context':
      return (
        <span className="mono" data-testid="cell-context" title={`Context 0x${row.context}`}>
          0x{row.context}
        </span>
      );
    case 'action':
      return (
        <span
          className={row.actionName === null ? 'muted' : ''}
          data-testid="cell-action"
          title={row.actionName ?? 'No action explains this event: shown as hex'}
        >
          {row.actionName ?? '(no action)'}
        </span>
      );
    case 'data': {
      const text = row.hex === '' ? '' : `${spacedHex(row.hex)}${row.hexTruncated ? ' …' : ''}`;
      return (
        <span
          className="mono muted"
          data-testid="cell-data"
          title={
            text === ''
              ? undefined
              : `${text}${row.hexTruncated ? ` (${row.length} bytes: the details show them all)` : ''}`
          }
        >
          {text}
        </span>
      );
    }
    default: {
      const name = column.label;
      const v = row.fields?.find(([n]) => n === name)?.[1];
      return v === undefined ? (
        <span />
      ) : (
        <span
          className="mono log-field"
          data-field={name}
          data-value={v}
          data-testid={`cell-${name}`}
          title={`${name} = ${v} (double-click to filter)`}
        >
          {v}
        </span>
      );
    }
  }
}

/**
 * One row. Memoized on its row object (rows at a position never change), so while the log
 * follows the tail only the rows that arrived since the last frame render.
 */
const RowView = memo(function RowView(props: {
  pos: number;
  row: LogRow | undefined;
  columns: readonly ColumnDef[];
  selected: boolean;
  store: LogViewStore;
}) {
  const { row, columns } = props;
  if (row === undefined)
    return (
      <div className="log-row pending" data-testid="log-row-pending">
        <span className="muted">…</span>
      </div>
    );
  return (
    <div
      className={`log-row${props.selected ? ' selected' : ''}`}
      data-testid="log-row"
      data-seq={row.seq}
      aria-selected={props.selected}
      onClick={() => props.store.select(props.selected ? null : props.pos)}
    >
      {columns.map((c) => (
        <Cell key={c.id} column={c} row={row} />
      ))}
    </div>
  );
});
