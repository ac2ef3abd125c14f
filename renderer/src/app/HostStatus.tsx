// Header badge: is the host alive (heartbeat) and how much memory it uses.
import { useStreamLatest } from '../host/hooks';

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
}

export function HostStatus({ transport }: { transport: 'connecting' | 'open' | 'closed' }) {
  const beat = useStreamLatest('app:heartbeat');
  if (transport !== 'open')
    return (
      <span className="badge warn" role="status" data-testid="host-status">
        host {transport === 'connecting' ? 'connecting…' : 'disconnected'}
      </span>
    );
  if (beat === undefined)
    return (
      <span className="badge" role="status" data-testid="host-status">
        host: waiting for heartbeat…
      </span>
    );
  return (
    <span
      className="badge ok"
      role="status"
      data-testid="host-status"
      title={`heartbeat #${beat.seq}`}
    >
      host up {Math.floor(beat.uptimeMs / 1000)} s · {mb(beat.rssBytes)} ·{' '}
      <span data-testid="heartbeat-seq">{beat.seq}</span>
    </span>
  );
}
