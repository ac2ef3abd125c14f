// The live log's state in the renderer, outside React: this window's view on the host (filter,
// revision, matched count), the rows by position in a bounded page cache, pause and follow, the
// stats. Host pushes only mark it dirty; one requestAnimationFrame tick per frame bumps the
// version that components read with useSyncExternalStore (architecture §3). Renderer only.
import type { HostClient } from '../../../shared/contract/client';
import type {
  ExportResult,
  LogRow,
  LogSortState,
  LogStats,
  LogUpdate,
  LogViewInfo,
} from '../../../shared/contract/log';
import type { AppErrorShape } from '../../../shared/contract/result';
import type { ExportFormat } from '../../../shared/log/exportFormat';
import type { SortColumn } from '../../../shared/log/logSort';
import {
  normalizeFilter,
  type EventKey,
  type FieldCondition,
  type LogFilter,
} from '../../../shared/log/logFilter';
import { nextSort } from './logColumns';
import { PageCache, PAGE_ROWS } from './pageCache';

export interface ExportState {
  readonly busy: ExportFormat | null;
  readonly result: ExportResult | null;
  readonly error: string | null;
  /** While busy: records written of records to write (the host reports a few times a second). */
  readonly progress?: { readonly done: number; readonly of: number } | null;
  /** While busy: the job id `sessions:cancel` takes. */
  readonly jobId?: string | null;
}

let exportsStarted = 0;

type Listener = () => void;

/**
 * Least time between renders caused only by streamed data (ms): 20 updates a second look live,
 * and a flood of 20,000 records/s cannot make the table re-render every frame (nobody reads 300
 * new rows a frame). User actions are never held back by it.
 */
export const LIVE_RENDER_INTERVAL_MS = 50;

export class LogViewStore {
  viewId: string | null = null;
  revision = 0;
  filter: LogFilter = {};
  /** Records matching the filter so far (the host's count). */
  matched = 0;
  building: LogViewInfo['building'] = null;
  /** Sorted by a column: the table shows the host's sorted snapshot. Null: arrival order. */
  sort: LogSortState | null = null;
  total = 0;
  malformed = 0;
  paused = false;
  /** While paused: how many rows the view shows (the count when pause was pressed). */
  frozen = 0;
  follow = true;
  stats: LogStats | null = null;
  error: string | null = null;
  /** Position of the selected row (details panel), or null. */
  selected: number | null = null;
  exportState: ExportState = { busy: null, result: null, error: null };
  /** Bumped when the text filter is changed other than by typing in it. */
  textEpoch = 0;

  private readonly cache = new PageCache();
  /** Field names seen in rows, per action: columns appear with the first row, not with stats. */
  private readonly rowFields = new Map<string, string[]>();
  private readonly inflight = new Set<number>();
  private first = 0;
  private last = 0;
  private version = 0;
  private readonly listeners = new Set<Listener>();
  private rafPending = false;
  /** A user-driven change is waiting: render on the next frame, not after the live interval. */
  private urgent = false;
  private lastRender = 0;
  private opening: Promise<void> | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(private readonly host: HostClient) {
    this.offs.push(host.subscribe('log:update', (u) => this.onUpdate(u)));
    this.offs.push(
      host.subscribe('log:stats', (s) => {
        this.stats = s;
        this.total = Math.max(this.total, s.total);
        this.malformed = Math.max(this.malformed, s.malformed);
        this.markDirty(true);
      }),
    );
    void this.open();
    void host.call('log:stats', {}).then((r) => {
      if (r.ok && this.stats === null) {
        this.stats = r.value;
        this.markDirty();
      }
    });
  }

  // ---- Reading (components) --------------------------------------------------------------

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  };

  getVersion = (): number => this.version;

  /**
   * Rows the table shows: all matches, or while paused the ones there when it was pressed, or
   * when sorted the sorted snapshot (none while it is being sorted).
   */
  get rowCount(): number {
    if (this.sort !== null) return this.sort.count ?? 0;
    return this.paused ? Math.min(this.frozen, this.matched) : this.matched;
  }

  /**
   * Records not in the table: left out by the filter, held back by pause, or newer than the
   * sorted snapshot.
   */
  get notShown(): {
    readonly filtered: number;
    readonly paused: number;
    readonly sortedOut: number;
  } {
    const sorted = this.sort === null ? null : (this.sort.count ?? 0);
    return {
      filtered: Math.max(0, this.total - this.matched),
      paused: this.paused && sorted === null ? Math.max(0, this.matched - this.frozen) : 0,
      sortedOut: sorted === null ? 0 : Math.max(0, this.matched - sorted),
    };
  }

  row(pos: number): LogRow | undefined {
    return this.cache.get(pos);
  }

  /**
   * Decoded field columns for the view: the fields of the actions it can show (the action
   * filter, and field conditions only actions with those fields can meet), first seen first.
   */
  fieldColumns(): string[] {
    const actions = this.filter.actions;
    const wanted = actions === undefined ? null : new Set(actions);
    const needed = (this.filter.fields ?? []).map((c) => c.field);
    const names: string[] = [];
    const add = (actionId: string, fields: readonly string[]) => {
      if (wanted !== null && !wanted.has(actionId)) return;
      if (!needed.every((n) => fields.includes(n))) return;
      for (const n of fields) if (!names.includes(n)) names.push(n);
    };
    for (const s of this.stats?.sources ?? [])
      add(
        s.actionId,
        s.fields.map((f) => f.name),
      );
    for (const [actionId, fields] of this.rowFields) add(actionId, fields);
    return names;
  }

  private noteFields(rows: readonly LogRow[]): void {
    for (const r of rows) {
      if (r.fields === null || r.actionId === null) continue;
      let known = this.rowFields.get(r.actionId);
      if (known === undefined) this.rowFields.set(r.actionId, (known = []));
      for (const [n] of r.fields) if (!known.includes(n)) known.push(n);
    }
  }

  // ---- Host traffic -----------------------------------------------------------------------

  private async open(): Promise<void> {
    if (this.opening !== null) return this.opening;
    this.opening = (async () => {
      const r = await this.host.call('log:open-view', { filter: this.filter });
      if (r.ok) {
        this.adopt(r.value, true);
        this.error = null;
        if (this.paused)
          void this.host.call('log:set-paused', { viewId: r.value.viewId, paused: true });
      } else this.fail(r.error);
    })().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private adopt(info: LogViewInfo, fresh: boolean): void {
    if (fresh || info.revision !== this.revision || info.viewId !== this.viewId) {
      this.cache.clear();
      this.inflight.clear();
    }
    this.viewId = info.viewId;
    this.revision = info.revision;
    this.filter = info.filter;
    this.matched = info.matched;
    this.building = info.building;
    this.sort = info.sort;
    this.total = Math.max(this.total, info.matched);
    if (this.paused) this.frozen = Math.min(this.frozen, this.matched);
    this.markDirty();
  }

  private fail(e: AppErrorShape): void {
    this.error = e.message;
    this.markDirty();
  }

  private onUpdate(u: LogUpdate): void {
    this.total = u.total;
    this.malformed = u.malformed;
    const v = u.views.find((x) => x.viewId === this.viewId);
    if (v !== undefined && v.revision >= this.revision) {
      if (v.revision > this.revision) {
        this.revision = v.revision;
        this.cache.clear();
        this.inflight.clear();
      }
      this.matched = v.matched;
      this.building = v.building;
      this.sort = v.sort;
      if (v.tail !== null && !this.paused && v.sort === null) {
        this.noteFields(v.tail.rows);
        const firstPage = Math.floor(this.first / PAGE_ROWS);
        const lastPage = Math.floor(Math.max(this.first, this.last - 1) / PAGE_ROWS);
        this.cache.put(v.tail.offset, v.tail.rows, (p) => p >= firstPage && p <= lastPage);
      }
    }
    this.markDirty(true);
  }

  /** The table tells which positions are on screen; missing ones are fetched. */
  setVisibleRange = (first: number, last: number): void => {
    if (first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    this.ensureVisible();
  };

  private ensureVisible(): void {
    if (this.viewId === null) return;
    const end = Math.min(this.last, this.rowCount);
    if (end <= this.first) return;
    const firstPage = Math.floor(this.first / PAGE_ROWS);
    const lastPage = Math.floor((end - 1) / PAGE_ROWS);
    this.cache.touch(firstPage, lastPage);
    for (let p = firstPage; p <= lastPage; p++) {
      const from = Math.max(p * PAGE_ROWS, this.first);
      const to = Math.min((p + 1) * PAGE_ROWS, end);
      if (!this.inflight.has(p) && !this.cache.complete(from, to)) void this.fetchPage(p);
    }
  }

  private async fetchPage(p: number): Promise<void> {
    const viewId = this.viewId;
    const revision = this.revision;
    if (viewId === null) return;
    this.inflight.add(p);
    const r = await this.host.call('log:page', {
      viewId,
      revision,
      offset: p * PAGE_ROWS,
      limit: PAGE_ROWS,
    });
    this.inflight.delete(p);
    if (viewId !== this.viewId || revision !== this.revision) return;
    if (r.ok) {
      // A sorted view's pages count its snapshot, not the matches.
      if (this.sort === null) this.matched = Math.max(this.matched, r.value.matched);
      this.noteFields(r.value.rows);
      this.cache.put(r.value.offset, r.value.rows);
      this.markDirty();
    } else if (r.error.code === 'not-found' || r.error.code === 'unavailable') {
      // The host closed the view (it restarted, or evicted an idle one): open it again.
      this.viewId = null;
      await this.open();
    } else if (r.error.code !== 'conflict') this.fail(r.error);
  }

  // ---- Commands ---------------------------------------------------------------------------

  async setFilter(next: LogFilter): Promise<void> {
    const filter = normalizeFilter(next);
    this.filter = filter;
    this.selected = null;
    this.markDirty();
    if (this.viewId === null) return this.open();
    const r = await this.host.call('log:set-filter', { viewId: this.viewId, filter });
    if (r.ok) {
      this.error = null;
      this.adopt(r.value, false);
      if (!this.paused) this.follow = true;
    } else if (r.error.code === 'not-found') {
      this.viewId = null;
      await this.open();
    } else this.fail(r.error);
  }

  /**
   * Sets the free-text part. `external` (a chip, "Clear filter") bumps `textEpoch` so the text
   * box shows the new value; the box itself passes false and keeps what is being typed.
   */
  setText(text: string, external = true): Promise<void> {
    if (external) this.textEpoch++;
    return this.setFilter({ ...this.filter, text });
  }

  setEvents(events: readonly EventKey[]): Promise<void> {
    return this.setFilter({ ...this.filter, events });
  }

  setActions(actions: readonly (string | null)[]): Promise<void> {
    return this.setFilter({ ...this.filter, actions });
  }

  addField(c: FieldCondition): Promise<void> {
    return this.setFilter({ ...this.filter, fields: [...(this.filter.fields ?? []), c] });
  }

  removeField(index: number): Promise<void> {
    return this.setFilter({
      ...this.filter,
      fields: (this.filter.fields ?? []).filter((_, i) => i !== index),
    });
  }

  clearFilter(): Promise<void> {
    this.textEpoch++;
    return this.setFilter({});
  }

  /** A header click: ascending, descending, then back to arrival order (nextSort). */
  sortBy(column: SortColumn): Promise<void> {
    const current = this.sort === null ? null : { column: this.sort.column, dir: this.sort.dir };
    return this.setSort(nextSort(current, column));
  }

  async setSort(sort: { readonly column: SortColumn; readonly dir: 'asc' | 'desc' } | null) {
    this.selected = null;
    // A sorted table is a snapshot to read from the top; arrival order follows the tail again.
    this.follow = sort === null && !this.paused;
    if (this.viewId === null) return;
    const r = await this.host.call('log:set-sort', { viewId: this.viewId, sort });
    if (r.ok) {
      this.error = null;
      this.adopt(r.value, false);
    } else if (r.error.code === 'not-found') {
      this.viewId = null;
      await this.open();
    } else this.fail(r.error);
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.frozen = this.matched;
    this.markDirty();
    if (this.viewId !== null)
      void this.host.call('log:set-paused', { viewId: this.viewId, paused: true });
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.follow = true;
    this.markDirty();
    if (this.viewId !== null)
      void this.host.call('log:set-paused', { viewId: this.viewId, paused: false });
  }

  togglePause = (): void => (this.paused ? this.resume() : this.pause());

  setFollow = (follow: boolean): void => {
    if (follow === this.follow) return;
    this.follow = follow;
    this.markDirty();
  };

  select(pos: number | null): void {
    this.selected = pos === null ? null : Math.max(0, Math.min(pos, this.rowCount - 1));
    if (this.selected !== null) this.follow = false;
    this.markDirty();
  }

  async exportView(format: ExportFormat): Promise<void> {
    if (this.viewId === null || this.exportState.busy !== null) return;
    // Named, so a long export shows its progress and can be cancelled.
    const jobId = `export-${Date.now().toString(36)}-${(++exportsStarted).toString(36)}`;
    this.exportState = { busy: format, result: null, error: null, progress: null, jobId };
    this.markDirty();
    const off = this.host.subscribe('sessions:progress', (p) => {
      if (p.jobId !== jobId || this.exportState.jobId !== jobId) return;
      this.exportState = { ...this.exportState, progress: { done: p.done, of: p.of } };
      this.markDirty(true);
    });
    const r = await this.host.call('log:export', { viewId: this.viewId, format, jobId });
    off();
    this.exportState = r.ok
      ? { busy: null, result: r.value, error: null }
      : {
          busy: null,
          result: null,
          error:
            r.error.code === 'cancelled'
              ? 'cancelled; the partial file was removed'
              : r.error.message,
        };
    this.markDirty();
  }

  /** Cancels the running export (its partial file is removed). */
  cancelExport(): void {
    const jobId = this.exportState.jobId;
    if (this.exportState.busy === null || jobId === null || jobId === undefined) return;
    void this.host.call('sessions:cancel', { jobId });
  }

  dismissExport(): void {
    this.exportState = { busy: null, result: null, error: null };
    this.markDirty();
  }

  // ---- Frame tick -------------------------------------------------------------------------

  /**
   * Coalesces every change of a frame into one version bump (one React render per frame).
   * Changes that only stream in (new records, stats) render at most every
   * LIVE_RENDER_INTERVAL_MS; anything the user did renders on the next frame.
   */
  private markDirty(fromStream = false): void {
    if (!fromStream) this.urgent = true;
    if (this.rafPending) return;
    this.rafPending = true;
    const tick = (now: number) => {
      if (!this.urgent && now - this.lastRender < LIVE_RENDER_INTERVAL_MS) {
        requestAnimationFrame(tick);
        return;
      }
      this.rafPending = false;
      this.urgent = false;
      this.lastRender = now;
      this.ensureVisible();
      this.version++;
      for (const l of this.listeners) l();
    };
    requestAnimationFrame(tick);
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.viewId !== null) void this.host.call('log:close-view', { viewId: this.viewId });
    this.viewId = null;
  }
}

const stores = new WeakMap<HostClient, LogViewStore>();

/** One store per host connection, shared by the log and counts panes and kept across tabs. */
export function logStoreFor(host: HostClient): LogViewStore {
  let s = stores.get(host);
  if (s === undefined) stores.set(host, (s = new LogViewStore(host)));
  return s;
}

/** Closes the store of a client that goes away (a past session's view is closed). */
export function disposeLogStore(host: HostClient): void {
  stores.get(host)?.dispose();
  stores.delete(host);
}
