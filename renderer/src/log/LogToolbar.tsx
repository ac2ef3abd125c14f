// The live log's toolbar: pause/resume the view and follow-tail, the filter bar (text or hex,
// event, action, field conditions as removable chips, like Wireshark's display filter), and
// export of the current filter.
import { useEffect, useState, type RefObject } from 'react';
import type { LogStats } from '../../../shared/contract/log';
import { describeFilter, FIELD_OPS, type FieldOp } from '../../../shared/log/logFilter';
import { ColumnsMenu } from './ColumnsMenu';
import { formatCount } from './format';
import { keysFor, shortcutHelp } from './logKeys';
import type { LogViewStore } from './logViewStore';

/** Typing in the text filter applies it after this pause, so every keystroke is not a rebuild. */
const TEXT_DEBOUNCE_MS = 250;

interface Props {
  readonly store: LogViewStore;
  readonly stats: LogStats | null;
  readonly filterInput: RefObject<HTMLInputElement | null>;
  /** Decoded field columns the table can show (the Columns menu lists them). */
  readonly fieldNames: readonly string[];
}

export function LogToolbar({ store, stats, filterInput, fieldNames }: Props) {
  const f = store.filter;
  return (
    <div className="log-toolbar" role="toolbar" aria-label="Live log">
      <button
        type="button"
        className={store.paused ? 'primary' : ''}
        data-testid="log-pause"
        aria-pressed={store.paused}
        title={`${store.paused ? 'Resume the view' : 'Pause the view; capture continues'} (${keysFor('toggle-pause')})`}
        onClick={store.togglePause}
      >
        {store.paused ? '▶ Resume view' : '❚❚ Pause view'}
      </button>
      <button
        type="button"
        data-testid="log-follow"
        aria-pressed={store.follow && !store.paused}
        className={store.follow && !store.paused ? 'on' : ''}
        title={`Follow the newest record (${keysFor('follow')}, End)`}
        disabled={store.paused}
        onClick={() => store.setFollow(!store.follow)}
      >
        ⤓ Follow
      </button>
      <span className="log-sep" />
      <TextFilter store={store} inputRef={filterInput} />
      <select
        data-testid="log-filter-event"
        aria-label="Event"
        value={f.events?.length === 1 ? `${f.events[0]?.generation}:${f.events[0]?.eventId}` : ''}
        onChange={(e) => {
          const [g, id] = e.target.value.split(':').map(Number);
          void store.setEvents(
            e.target.value === '' ? [] : [{ generation: g ?? 0, eventId: id ?? 0 }],
          );
        }}
      >
        <option value="">All events</option>
        {(stats?.events ?? []).map((ev) => (
          <option key={`${ev.generation}:${ev.eventId}`} value={`${ev.generation}:${ev.eventId}`}>
            {`event ${ev.eventId.toString(16)}${ev.generation > 1 ? ` (run ${ev.generation})` : ''}${ev.actionName !== null ? ` · ${ev.actionName}` : ''} · ${formatCount(ev.count)}`}
          </option>
        ))}
      </select>
      <select
        data-testid="log-filter-action"
        aria-label="Action"
        value={f.actions?.length === 1 ? (f.actions[0] ?? '\u0000') : ''}
        onChange={(e) => {
          const v = e.target.value;
          void store.setActions(v === '' ? [] : [v === '\u0000' ? null : v]);
        }}
      >
        <option value="">All actions</option>
        {uniqueActions(stats).map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
        <option value={'\u0000'}>(no action: hex)</option>
      </select>
      <FieldFilter store={store} fields={stats?.fields ?? []} />
      <span className="log-sep" />
      <ExportButtons store={store} />
      <ColumnsMenu fieldNames={fieldNames} />
      <span className="log-help" title={shortcutHelp()} aria-label="Keyboard shortcuts">
        ⌨
      </span>
      <FilterChips store={store} stats={stats} />
    </div>
  );
}

function uniqueActions(stats: LogStats | null): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const s of stats?.sources ?? []) seen.set(s.actionId, s.actionName);
  return [...seen].map(([id, name]) => ({ id, name }));
}

function TextFilter({
  store,
  inputRef,
}: {
  store: LogViewStore;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const applied = store.filter.text ?? '';
  const [text, setText] = useState(applied);
  const [epoch, setEpoch] = useState(store.textEpoch);
  // Changed elsewhere (a chip's ×, "Clear filter"): show what applies now.
  if (epoch !== store.textEpoch) {
    setEpoch(store.textEpoch);
    setText(applied);
  }
  useEffect(() => {
    if (text.trim() === applied) return;
    const t = setTimeout(() => void store.setText(text, false), TEXT_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, applied, store]);
  return (
    <input
      ref={inputRef}
      className="log-text-filter"
      type="search"
      data-testid="log-filter-text"
      placeholder="Filter text or hex (/)"
      title="Decoded text (ASCII case ignored), or hex digits to search the bytes"
      value={text}
      maxLength={256}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void store.setText(text, false);
        if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
      }}
    />
  );
}

function FieldFilter({ store, fields }: { store: LogViewStore; fields: readonly string[] }) {
  const [field, setField] = useState('');
  const [op, setOp] = useState<FieldOp>('equals');
  const [value, setValue] = useState('');
  const chosen = field !== '' && fields.includes(field) ? field : (fields[0] ?? '');
  const add = () => {
    if (chosen === '') return;
    void store.addField({ field: chosen, op, value });
    setValue('');
  };
  return (
    <span className="log-field-filter">
      <select
        data-testid="log-filter-field"
        aria-label="Field"
        value={chosen}
        disabled={fields.length === 0}
        onChange={(e) => setField(e.target.value)}
      >
        {fields.length === 0 && <option value="">(no decoded fields yet)</option>}
        {fields.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <select
        data-testid="log-filter-op"
        aria-label="Comparison"
        value={op}
        onChange={(e) => setOp(e.target.value as FieldOp)}
      >
        {FIELD_OPS.map((o) => (
          <option key={o} value={o}>
            {o === 'equals' ? '==' : 'contains'}
          </option>
        ))}
      </select>
      <input
        data-testid="log-filter-value"
        aria-label="Value"
        placeholder="value"
        value={value}
        maxLength={256}
        title="equals: the value as shown (numbers also in hex or decimal); contains: ignores ASCII case"
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') add();
        }}
      />
      <button
        type="button"
        data-testid="log-filter-add"
        disabled={chosen === ''}
        onClick={add}
        title="Add this field condition"
      >
        + Filter
      </button>
    </span>
  );
}

function FilterChips({ store, stats }: { store: LogViewStore; stats: LogStats | null }) {
  const f = store.filter;
  const chips: { key: string; text: string; remove: () => void }[] = [];
  const actionName = (id: string) =>
    stats?.sources.find((s) => s.actionId === id)?.actionName ?? id;
  if (f.events !== undefined)
    chips.push({
      key: 'events',
      text: describeFilter({ events: f.events }),
      remove: () => void store.setEvents([]),
    });
  if (f.cores !== undefined)
    chips.push({
      key: 'cores',
      text: describeFilter({ cores: f.cores }),
      remove: () => void store.setFilter({ ...f, cores: [] }),
    });
  if (f.actions !== undefined)
    chips.push({
      key: 'actions',
      text: describeFilter({ actions: f.actions }, actionName),
      remove: () => void store.setActions([]),
    });
  (f.fields ?? []).forEach((c, i) =>
    chips.push({
      key: `field-${i}`,
      text: describeFilter({ fields: [c] }),
      remove: () => void store.removeField(i),
    }),
  );
  if (f.text !== undefined)
    chips.push({
      key: 'text',
      text: describeFilter({ text: f.text }),
      remove: () => void store.setText(''),
    });
  if (chips.length === 0) return null;
  return (
    <div className="log-chips" data-testid="log-filter-chips">
      {chips.map((c) => (
        <span key={c.key} className="log-chip" data-testid="log-chip">
          {c.text}
          <button type="button" aria-label={`Remove ${c.text}`} onClick={c.remove}>
            ×
          </button>
        </span>
      ))}
      <button
        type="button"
        className="link"
        data-testid="log-filter-clear"
        onClick={() => void store.clearFilter()}
      >
        Clear filter
      </button>
    </div>
  );
}

function ExportButtons({ store }: { store: LogViewStore }) {
  const busy = store.exportState.busy;
  return (
    <span className="log-export" title="Export the records matching the filter">
      <span className="muted">Export</span>
      <button
        type="button"
        data-testid="log-export-jsonl"
        disabled={busy !== null}
        onClick={() => void store.exportView('jsonl')}
        title="JSON lines: one record per line, typed fields, bytes as hex"
      >
        {busy === 'jsonl' ? 'JSONL…' : 'JSONL'}
      </button>
      <button
        type="button"
        data-testid="log-export-csv"
        disabled={busy !== null}
        onClick={() => void store.exportView('csv')}
        title="CSV for spreadsheets (formula-safe)"
      >
        {busy === 'csv' ? 'CSV…' : 'CSV'}
      </button>
    </span>
  );
}
