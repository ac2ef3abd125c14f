// The live log's table: a virtualized list of fixed-height rows (time, event, core, action, one
// column per decoded field, the bytes as hex when no schema decodes them). Rows come from the
// store's page cache; a row not fetched yet shows as a placeholder until its page arrives.
import { memo, useCallback, type MouseEvent } from 'react';
import type { LogRow } from '../../../shared/contract/log';
import { VirtualList } from '../components/VirtualList';
import { formatTime, spacedHex } from './format';
import { keysFor } from './logKeys';
import type { LogViewStore } from './logViewStore';

/** One line of 13 px text with padding: dense like Process Monitor, still easy to click. */
export const LOG_ROW_HEIGHT = 22;

/** The CSS grid columns: fixed meta columns, decoded fields sharing the rest, then the bytes. */
export function columnTemplate(fieldCount: number): string {
  const fields = fieldCount > 0 ? ` repeat(${fieldCount}, minmax(90px, 1fr))` : '';
  return `96px 64px 44px minmax(110px, 170px)${fields} minmax(120px, 1.4fr)`;
}

interface Props {
  readonly store: LogViewStore;
  readonly fieldNames: readonly string[];
  /** Version of the store, so the row renderer changes when the rows do. */
  readonly version: number;
}

export function LogTable({ store, fieldNames, version }: Props) {
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

  const renderRow = useCallback(
    (i: number) => (
      <RowView
        pos={i}
        row={store.row(i)}
        fieldNames={fieldNames}
        selected={store.selected === i}
        store={store}
      />
    ),
    // `version` changes whenever rows, selection or counts do.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, fieldNames, version],
  );

  return (
    <div
      className="log-table"
      style={{ ['--log-cols' as string]: columnTemplate(fieldNames.length) }}
      onDoubleClick={onCellDoubleClick}
    >
      <div className="log-head" role="row">
        <span role="columnheader">Time</span>
        <span role="columnheader" title="Event id (hex) as `events` lists it">
          Event
        </span>
        <span role="columnheader">Core</span>
        <span role="columnheader">Action</span>
        {fieldNames.map((n) => (
          <span key={n} role="columnheader" title={`Decoded field ${n}`}>
            {n}
          </span>
        ))}
        <span role="columnheader" title="The bytes, when no buffer schema decodes them">
          Data
        </span>
      </div>
      <VirtualList
        rowCount={store.rowCount}
        rowHeight={LOG_ROW_HEIGHT}
        renderRow={renderRow}
        follow={store.follow && !store.paused}
        onFollowChange={store.setFollow}
        onRangeChange={store.setVisibleRange}
        className="log-rows"
        ariaLabel={`Records (${keysFor('next-row')} to move, ${keysFor('toggle-detail')} for bytes; double-click a value to filter by it)`}
        testId="log-rows"
      />
    </div>
  );
}

/**
 * One row. Memoized on its row object (rows at a position never change), so while the log
 * follows the tail only the rows that arrived since the last frame render.
 */
const RowView = memo(function RowView(props: {
  pos: number;
  row: LogRow | undefined;
  fieldNames: readonly string[];
  selected: boolean;
  store: LogViewStore;
}) {
  const { row, fieldNames } = props;
  if (row === undefined)
    return (
      <div className="log-row pending" data-testid="log-row-pending">
        <span className="muted">…</span>
      </div>
    );
  const values = new Map(row.fields ?? []);
  return (
    <div
      className={`log-row${props.selected ? ' selected' : ''}`}
      data-testid="log-row"
      data-seq={row.seq}
      aria-selected={props.selected}
      onClick={() => props.store.select(props.selected ? null : props.pos)}
    >
      <span className="mono">{formatTime(row.receivedAt)}</span>
      <span
        className="mono"
        title={`event 0x${row.eventId.toString(16)}, CLI run ${row.generation}, context 0x${row.context}`}
      >
        {row.eventId.toString(16)}
      </span>
      <span className="mono">{row.core}</span>
      <span className={row.actionName === null ? 'muted' : ''} title={row.actionName ?? ''}>
        {row.actionName ?? '(no action)'}
      </span>
      {fieldNames.map((n) => {
        const v = values.get(n);
        return v === undefined ? (
          <span key={n} />
        ) : (
          <span
            key={n}
            className="mono log-field"
            data-field={n}
            data-value={v}
            data-testid={`cell-${n}`}
            title={`${n} = ${v} (double-click to filter)`}
          >
            {v}
          </span>
        );
      })}
      <span className="mono muted" data-testid="cell-data">
        {row.hex === '' ? '' : `${spacedHex(row.hex)}${row.hexTruncated ? ' …' : ''}`}
      </span>
    </div>
  );
});
