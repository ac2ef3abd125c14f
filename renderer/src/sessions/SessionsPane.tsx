// The Sessions view: every run's session database as a document, like a saved ProcMon trace.
// Lists past sessions (start, end, target, mode, records, lost, malformed, size), opens one
// read-only with the live log's own table, filters, Counts and export, deletes them (never the
// running one or an open one), sets the retention policy, and imports transcripts and
// `.logopen` files. Renderer only.
import { useEffect, useMemo, useState } from 'react';
import type { LogStats } from '../../../shared/contract/log';
import type {
  RetentionPolicy,
  SessionList,
  SessionSummary,
} from '../../../shared/contract/sessions';
import { updateUi } from '../app/appStore';
import { useHostQuery } from '../app/useHostQuery';
import { HostContext, useHost } from '../host/hooks';
import { CountsPane } from '../log/CountsPane';
import { describeTargetLoss, formatBytes, formatCount, TARGET_LOSS_TITLE } from '../log/format';
import { LiveLogPane } from '../log/LiveLogPane';
import { disposeLogStore } from '../log/logViewStore';
import { ImportDialog } from './ImportDialog';
import { SessionEvents } from './SessionEvents';
import { forgetSessionHost, sessionHost } from './sessionHost';
import './sessions.css';

function when(ms: number | null): string {
  if (ms === null) return '–';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** An end time: the time alone when it is the start's day (the list stays within its width). */
function until(startMs: number | null, endMs: number | null): string {
  const end = when(endMs);
  const start = when(startMs);
  return end.slice(0, 10) === start.slice(0, 10) && endMs !== null ? end.slice(11) : end;
}

function stateText(s: SessionSummary): string {
  if (s.problem !== null) return 'unreadable';
  if (s.live) return 'running (this app)';
  return s.state;
}

export function SessionsPane({ active }: { active: boolean }) {
  const host = useHost();
  // Refreshed when a session starts, ends, is imported or deleted, and when the tab shows.
  const query = useHostQuery('sessions:list', active ? {} : null, {
    refreshOn: ['sessions:changed'],
  });
  const list: SessionList | null = query.value ?? null;
  const [actionError, setError] = useState<string | null>(null);
  const error = actionError ?? query.error?.message ?? null;
  const load = query.reload;
  const [notice, setNotice] = useState<string | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [opened, setOpened] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);

  const open = (id: string) => {
    setImporting(false);
    setOpened(id);
  };

  const remove = async (ids: readonly string[]) => {
    setConfirming(false);
    const r = await host.call('sessions:delete', { ids: [...ids] });
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setChecked(new Set());
    const refused = r.value.refused.map((x) => `${x.id}: ${x.reason}`);
    setNotice(
      `Deleted ${r.value.deleted.length} session${r.value.deleted.length === 1 ? '' : 's'}.${refused.length > 0 ? ` Kept ${refused.join('; ')}` : ''}`,
    );
    load();
  };

  if (opened !== null)
    return (
      <OpenedSession
        id={opened}
        active={active}
        summary={list?.sessions.find((s) => s.id === opened) ?? null}
        onBack={() => {
          setOpened(null);
          load();
        }}
      />
    );

  const sessions = list?.sessions ?? [];
  return (
    <div className="sessions-pane" data-testid="sessions-pane">
      <div className="log-toolbar" role="toolbar" aria-label="Sessions">
        <button type="button" data-testid="sessions-refresh" onClick={load}>
          Refresh
        </button>
        <button
          type="button"
          data-testid="sessions-import"
          onClick={() => setImporting(true)}
          title="Import a console transcript, a HyperDbg .logopen file or a session database"
        >
          Import…
        </button>
        <button
          type="button"
          data-testid="sessions-delete-checked"
          disabled={checked.size === 0}
          onClick={() => setConfirming(true)}
        >
          Delete {checked.size > 0 ? checked.size : ''} selected
        </button>
        <span className="log-sep" />
        {list !== null && (
          <span className="muted" data-testid="sessions-total" title={list.dir}>
            {formatCount(sessions.length)} sessions · {formatBytes(list.totalBytes)}
          </span>
        )}
        {list !== null && (
          <RetentionForm
            policy={list.retention}
            onApplied={(t) => {
              setNotice(t);
              load();
            }}
          />
        )}
      </div>
      {confirming && (
        <div className="log-banner" role="alert" data-testid="sessions-confirm">
          Delete {checked.size} session{checked.size === 1 ? '' : 's'}? Their files (and
          transcripts) are removed.
          <button
            type="button"
            className="primary"
            data-testid="sessions-confirm-delete"
            onClick={() => void remove([...checked])}
          >
            Delete
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      )}
      {notice !== null && (
        <div className="log-banner" role="status" data-testid="sessions-notice">
          {notice}
          <button type="button" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {error !== null && (
        <div className="log-banner error" role="alert" data-testid="sessions-error">
          {error}
        </div>
      )}
      <div className="sessions-body">
        <table className="sessions-table" data-testid="sessions-table">
          <thead>
            <tr>
              <th aria-label="Select" />
              <th>Started</th>
              <th>Ended</th>
              <th>Target</th>
              <th>Mode</th>
              <th>Kind</th>
              <th className="num">Records</th>
              <th
                className="num"
                title="Records the target lost: gaps in their sequence numbers (docs/buffer-records.md §2a); unknown when they carry none, or when the run stopped without closing its file (open it to count)"
              >
                Lost in target
              </th>
              <th
                className="num"
                title="Records that arrived but the app could not store (a full disk, a failed write)"
              >
                Not stored
              </th>
              <th className="num">Malformed</th>
              <th className="num">Size</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr
                key={s.id}
                data-testid="sessions-row"
                data-session={s.id}
                data-live={s.live}
                className={s.live ? 'live' : ''}
                title={s.problem ?? s.file}
                onDoubleClick={() =>
                  s.live ? updateUi({ bottomTab: 'log' }) : s.problem === null && open(s.id)
                }
              >
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${s.id}`}
                    disabled={s.live}
                    checked={checked.has(s.id)}
                    onChange={(e) =>
                      setChecked((c) => {
                        const n = new Set(c);
                        if (e.target.checked) n.add(s.id);
                        else n.delete(s.id);
                        return n;
                      })
                    }
                  />
                </td>
                <td className="mono">{when(s.startedAt)}</td>
                <td className="mono" title={when(s.endedAt)}>
                  {until(s.startedAt, s.endedAt)}
                </td>
                <td className="sessions-target" title={s.targetLabel ?? undefined}>
                  {s.targetLabel ?? '–'}
                  {s.importedFrom !== null && (
                    <span className="muted"> · from {s.importedFrom}</span>
                  )}
                </td>
                <td>{s.mode ?? '–'}</td>
                <td>{s.kind ?? '–'}</td>
                <td className="num mono" data-testid="sessions-records">
                  {formatCount(s.records)}
                </td>
                <td className="num mono" data-testid="sessions-target-lost">
                  {s.targetLost === null ? 'unknown' : formatCount(s.targetLost)}
                </td>
                <td className="num mono">{s.lost === null ? '–' : formatCount(s.lost)}</td>
                <td className="num mono">{formatCount(s.malformed)}</td>
                <td className="num mono">{formatBytes(s.sizeBytes)}</td>
                <td className={s.problem !== null ? 'error' : ''}>{stateText(s)}</td>
                <td className="sessions-actions">
                  {s.live ? (
                    <button type="button" onClick={() => updateUi({ bottomTab: 'log' })}>
                      Live log
                    </button>
                  ) : (
                    <button
                      type="button"
                      data-testid="sessions-open"
                      disabled={s.problem !== null}
                      onClick={() => open(s.id)}
                    >
                      Open
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list !== null && sessions.length === 0 && (
          <p className="muted">No sessions yet: every run of the app and every capture adds one.</p>
        )}
      </div>
      {importing && (
        <ImportDialog
          onClose={() => {
            setImporting(false);
            load();
          }}
          onOpen={open}
        />
      )}
    </div>
  );
}

/** The retention policy: keep the last N sessions, N days and/or a total size (empty = no limit). */
function RetentionForm({
  policy,
  onApplied,
}: {
  policy: RetentionPolicy;
  onApplied: (text: string) => void;
}) {
  const host = useHost();
  const text = (n: number | null) => (n === null ? '' : String(n));
  const [keep, setKeep] = useState(text(policy.keepSessions));
  const [days, setDays] = useState(text(policy.keepDays));
  const [mib, setMib] = useState(text(policy.maxTotalMiB));
  const [error, setError] = useState<string | null>(null);
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  const apply = async () => {
    const next = { keepSessions: num(keep), keepDays: num(days), maxTotalMiB: num(mib) };
    const r = await host.call('sessions:set-retention', { policy: next });
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setError(null);
    const kept = r.value.refused.map((x) => `${x.id} (${x.reason})`);
    onApplied(
      `Retention saved: ${r.value.deleted.length} session${r.value.deleted.length === 1 ? '' : 's'} deleted${kept.length > 0 ? `; kept ${kept.join(', ')}` : ''}.`,
    );
  };
  const field = (
    label: string,
    value: string,
    set: (s: string) => void,
    id: string,
    hint: string,
  ) => (
    <label title={hint}>
      {label}{' '}
      <input
        type="number"
        min={1}
        className="sessions-retention-input"
        data-testid={id}
        placeholder="all"
        value={value}
        onChange={(e) => set(e.target.value)}
      />
    </label>
  );
  return (
    <span className="sessions-retention" data-testid="sessions-retention">
      <span className="muted">Keep:</span>
      {field('last', keep, setKeep, 'retention-keep', 'Keep the newest N sessions (empty: all)')}
      {field(
        'days',
        days,
        setDays,
        'retention-days',
        'Keep sessions of the last N days (empty: all)',
      )}
      {field(
        'MiB',
        mib,
        setMib,
        'retention-mib',
        'Delete the oldest sessions beyond this total size (empty: no cap)',
      )}
      <button type="button" data-testid="retention-apply" onClick={() => void apply()}>
        Apply
      </button>
      {error !== null && <span className="error">{error}</span>}
    </span>
  );
}

/** One past session, read-only: the live log's own Log and Counts panes over it. */
function OpenedSession({
  id,
  active,
  summary,
  onBack,
}: {
  id: string;
  active: boolean;
  summary: SessionSummary | null;
  onBack: () => void;
}) {
  const host = useHost();
  const client = useMemo(() => sessionHost(host, id), [host, id]);
  const [tab, setTab] = useState<'log' | 'counts' | 'events'>('log');
  const [info, setInfo] = useState<SessionSummary | null>(summary);
  const [stats, setStats] = useState<LogStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void host.call('sessions:open', { id }).then(async (r) => {
      if (!live) return;
      if (!r.ok) {
        setError(r.error.message);
        return;
      }
      setInfo(r.value);
      // What the target lost, counted by the host from the session's records.
      const s = await client.call('log:stats', {});
      if (!live) return;
      if (s.ok) setStats(s.value);
      else setError(s.error.message);
    });
    return () => {
      live = false;
    };
  }, [host, client, id]);

  const close = () => {
    disposeLogStore(client);
    forgetSessionHost(host, id);
    void host.call('sessions:close', { id });
    onBack();
  };

  return (
    <div className="sessions-opened" data-testid="session-opened" data-session={id}>
      <div className="sessions-opened-head">
        <button
          type="button"
          data-testid="session-back"
          onClick={onBack}
          title="Back to the list (the session stays open)"
        >
          ← Sessions
        </button>
        <strong>{info?.targetLabel ?? id}</strong>
        <span className="sessions-readonly" data-testid="session-readonly">
          read-only
        </span>
        <span className="muted">
          {when(info?.startedAt ?? null)} – {until(info?.startedAt ?? null, info?.endedAt ?? null)}{' '}
          · {info?.kind ?? ''} {info?.mode ?? ''} · {formatCount(info?.records ?? 0)} records ·{' '}
          <span
            data-testid="session-head-lost"
            className={stats !== null && stats.targetLost > 0 ? 'warn-text' : undefined}
            title={TARGET_LOSS_TITLE}
          >
            {stats === null ? 'counting loss…' : describeTargetLoss(stats)}
          </span>
        </span>
        <span className="tabs" role="tablist" aria-label="Session panes">
          {(['log', 'counts', 'events'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              className={`tab${tab === t ? ' on' : ''}`}
              data-testid={`session-tab-${t}`}
              onClick={() => setTab(t)}
            >
              {t === 'log' ? 'Log' : t === 'counts' ? 'Counts' : 'Events'}
            </button>
          ))}
        </span>
        <button type="button" data-testid="session-close" onClick={close}>
          Close
        </button>
      </div>
      {error !== null ? (
        <div className="log-banner error" role="alert" data-testid="session-open-error">
          {error}
        </div>
      ) : (
        <HostContext.Provider value={client}>
          <div className="sessions-opened-body" hidden={tab !== 'log'}>
            <LiveLogPane active={active && tab === 'log'} />
          </div>
          <div className="sessions-opened-body" hidden={tab !== 'counts'}>
            <CountsPane
              active={active && tab === 'counts'}
              onShowLog={() => setTab('log')}
              pastSession
            />
          </div>
          <div className="sessions-opened-body" hidden={tab !== 'events'}>
            <SessionEvents stats={stats} />
          </div>
        </HostContext.Provider>
      )}
    </div>
  );
}
