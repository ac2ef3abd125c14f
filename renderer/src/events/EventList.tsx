// The event list (bottom region tab): the session's events as the CLI lists them, with the
// action that created each, records received and their rate (from the log's statistics), and
// enable / disable / clear per event or for all. State follows the CLI's own `events` listing.
import { useMemo, useState } from 'react';
import { useHost } from '../host/hooks';
import { updateUi } from '../app/appStore';
import { useSession } from '../session/SessionProvider';
import { useLiveEvents } from './useLiveEvents';
import { eventRows, LOST_HEADER_TITLE, STATE_LABELS } from './eventRows';

type Op = 'enable' | 'disable' | 'clear';

export function EventList() {
  const host = useHost();
  const { state: session } = useSession();
  const { events, setEvents, stats } = useLiveEvents(session?.generation);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const rows = useMemo(
    () => eventRows(events, stats?.events ?? [], session?.generation ?? 0),
    [events, stats, session?.generation],
  );
  const ready = session?.status === 'ready';

  const run = async (id: string, op: Op) => {
    setBusy(`${id}:${op}`);
    setRowError(null);
    const r = await host.call('events:set-state', { id, op });
    setBusy(null);
    if (r.ok) setEvents(r.value);
    else setRowError({ id, message: r.error.message });
  };
  const refresh = async () => {
    setBusy('refresh');
    const r = await host.call('events:refresh', {});
    setBusy(null);
    if (r.ok) setEvents(r.value);
    else setRowError({ id: 'all', message: r.error.message });
  };

  const live = rows.filter((r) => r.state !== 'cleared');
  return (
    <div className="event-list" data-testid="event-list">
      <div className="toolbar">
        <span className="muted small">
          {live.length} event{live.length === 1 ? '' : 's'}
          {session !== null && session.generation > 0 ? ` · CLI process ${session.generation}` : ''}
        </span>
        <div className="spacer" />
        <button
          type="button"
          disabled={!ready || busy !== null}
          onClick={() => void refresh()}
          title="Re-read the CLI's events listing"
        >
          Refresh
        </button>
        <button
          type="button"
          disabled={!ready || busy !== null || !live.some((r) => r.canDisable)}
          onClick={() => void run('all', 'disable')}
        >
          Disable all
        </button>
        <button
          type="button"
          disabled={!ready || busy !== null || !live.some((r) => r.canClear)}
          onClick={() => void run('all', 'clear')}
        >
          Clear all
        </button>
      </div>
      {rowError?.id === 'all' && (
        <div className="field-error" role="alert">
          {rowError.message}
        </div>
      )}
      {rows.length === 0 ? (
        <div className="empty muted">
          No events yet. Bind an action to an event in the{' '}
          <button type="button" className="link" onClick={() => updateUi({ mainTab: 'binder' })}>
            binder
          </button>
          , or type an event command in the console.
        </div>
      ) : (
        <table className="events-table">
          <thead>
            <tr>
              <th scope="col">id</th>
              <th scope="col">state</th>
              <th scope="col">command</th>
              <th scope="col">action</th>
              <th scope="col" className="num">
                delivered
              </th>
              <th scope="col" className="num" title={LOST_HEADER_TITLE}>
                lost
              </th>
              <th scope="col" className="num">
                rate
              </th>
              <th scope="col">
                <span className="sr-only">commands</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id}
                data-testid="event-row"
                data-event-id={r.id}
                data-state={r.state}
                className={r.state === 'cleared' ? 'cleared' : undefined}
              >
                <td className="mono">{r.id}</td>
                <td>
                  <span className={`state state-${r.state}`}>{STATE_LABELS[r.state]}</span>
                </td>
                <td className="mono command" title={r.command}>
                  {r.command}
                  {rowError?.id === r.id && (
                    <div className="field-error" role="alert">
                      {rowError.message}
                    </div>
                  )}
                  {r.decodeWarning !== null && (
                    <div className="warn-text small" role="note" data-testid="event-decode-warning">
                      {r.decodeWarning}
                    </div>
                  )}
                </td>
                <td className="origin">{r.origin}</td>
                <td className="num mono" data-testid="event-hits">
                  {r.hits}
                </td>
                <td
                  className={`num mono${r.lostCount > 0 ? ' warn-text' : ''}`}
                  data-testid="event-lost"
                  title={r.lostTitle}
                >
                  {r.lost}
                </td>
                <td className="num mono" data-testid="event-rate">
                  {r.rate}
                </td>
                <td className="row-buttons">
                  {r.canEnable && (
                    <button
                      type="button"
                      disabled={!ready || busy !== null}
                      onClick={() => void run(r.id, 'enable')}
                    >
                      Enable
                    </button>
                  )}
                  {r.canDisable && (
                    <button
                      type="button"
                      disabled={!ready || busy !== null}
                      onClick={() => void run(r.id, 'disable')}
                    >
                      Disable
                    </button>
                  )}
                  {r.canClear && (
                    <button
                      type="button"
                      disabled={!ready || busy !== null}
                      onClick={() => void run(r.id, 'clear')}
                    >
                      Clear
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
