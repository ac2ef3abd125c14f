// A past session's events with what the target lost beside what it delivered, per event and per
// core: counted by the host from the session's stored sequence numbers (log:stats, the live log's
// own call), so a reopened session answers "how much did I miss, and where" the way the live
// Events view does. Renderer only.
import type { LogStats } from '../../../shared/contract/log';
import { formatLost, LOST_HEADER_TITLE } from '../events/eventRows';
import { describeTargetLoss, formatCount, TARGET_LOSS_TITLE } from '../log/format';

export function SessionEvents({ stats }: { stats: LogStats | null }) {
  if (stats === null) return <p className="muted">Counting what the target lost…</p>;
  return (
    <div className="sessions-body" data-testid="session-events">
      <p className="session-events-summary">
        <strong data-testid="session-events-delivered">{formatCount(stats.total)}</strong> records
        delivered ·{' '}
        <span
          data-testid="session-events-lost"
          className={stats.targetLost > 0 ? 'warn-text' : undefined}
          title={TARGET_LOSS_TITLE}
        >
          {describeTargetLoss(stats)}
        </span>
        {stats.otherEventsCount > 0 &&
          ` · ${formatCount(stats.otherEventsCount)} records of events beyond the list`}
      </p>
      <table className="sessions-table">
        <thead>
          <tr>
            <th>Event</th>
            <th>Run</th>
            <th>Action</th>
            <th className="num">Delivered</th>
            <th className="num" title={LOST_HEADER_TITLE}>
              Lost in target
            </th>
            <th className="num" title="The highest sequence number the core's records reached">
              Highest number
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.events.map((e) => (
            <EventRows key={`${e.generation}:${e.eventId}`} e={e} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EventRows({ e }: { e: LogStats['events'][number] }) {
  const lost = e.lost === null ? 'unknown' : formatLost(e.lost, e.count);
  return (
    <>
      <tr
        data-testid="session-event"
        data-event={e.eventId.toString(16)}
        data-generation={e.generation}
      >
        <td className="mono">{e.eventId.toString(16)}</td>
        <td className="mono">{e.generation}</td>
        <td>{e.actionName ?? 'hex'}</td>
        <td className="num mono" data-testid="session-event-delivered">
          {formatCount(e.count)}
        </td>
        <td
          className={`num mono${e.lost !== null && e.lost > 0 ? ' warn-text' : ''}`}
          data-testid="session-event-lost"
          title={
            e.lost === null
              ? 'Its records carry no sequence number, or the session file keeps none: what the target lost cannot be told'
              : undefined
          }
        >
          {lost}
        </td>
        <td />
      </tr>
      {(e.cores ?? []).map((c) => (
        <tr
          key={c.core}
          className="session-core"
          data-testid="session-core"
          data-event={e.eventId.toString(16)}
          data-core={c.core}
        >
          <td className="muted">core {c.core}</td>
          <td />
          <td />
          <td className="num mono" data-testid="session-core-delivered">
            {formatCount(c.delivered)}
          </td>
          <td
            className={`num mono${c.lost > 0 ? ' warn-text' : ''}`}
            data-testid="session-core-lost"
          >
            {formatLost(c.lost, c.delivered)}
          </td>
          <td className="num mono muted">{formatCount(c.highest)}</td>
        </tr>
      ))}
    </>
  );
}
