// The host, in words: the header's badge says whether the host process is up, not responding,
// lost or restarted (with what that means in its tooltip), and the status bar says for how long
// it has run and how much memory it uses, each number labelled.
import { useEffect, useState } from 'react';
import { useHostHealth, type HostHealthState } from './hostHealth';

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
}

/** 42 s, 7 min, 3 h 05 min. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

const HOST_WHAT =
  'The HyperDbg Studio host: the process that serves this window, runs hyperdbg-cli (or the simulator) and writes the session database.';

const BADGE: Readonly<Record<HostHealthState, { text: string; tone: string; title: string }>> = {
  connecting: { text: 'host: connecting…', tone: 'warn', title: `${HOST_WHAT} Connecting to it.` },
  up: { text: 'host: up', tone: 'ok', title: HOST_WHAT },
  unresponsive: {
    text: 'host: not responding',
    tone: 'warn',
    title: `${HOST_WHAT} Its heartbeat (one a second) stopped: it is stuck or very busy.`,
  },
  lost: {
    text: 'host: lost',
    tone: 'err',
    title: `${HOST_WHAT} The connection to it is gone (it was stopped or crashed). This window reconnects by itself when a host is back at this address.`,
  },
  refused: {
    text: 'host: restarted',
    tone: 'err',
    title: `${HOST_WHAT} A new host runs at this address with a new access token: open the URL it printed.`,
  },
};

export function HostStatus() {
  const h = useHostHealth();
  const b = BADGE[h.state];
  const details =
    h.state === 'up' && h.beat !== null
      ? ` Up ${formatUptime(h.beat.uptimeMs)}, ${mb(h.beat.rssBytes)} of memory.`
      : '';
  return (
    <span
      className={`badge keep ${b.tone}`}
      role="status"
      data-testid="host-status"
      data-state={h.state}
      data-heartbeat-seq={h.beat?.seq ?? ''}
      title={`${b.title}${details}`}
    >
      {b.text}
    </span>
  );
}

/** The status bar's host numbers, labelled: how long it has run, the memory it uses. */
export function HostDetails() {
  const h = useHostHealth();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (h.state === 'up') return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [h.state]);
  if (h.beat === null || h.state === 'connecting')
    return h.state === 'lost' || h.state === 'refused' ? (
      <span data-testid="host-details">host unreachable</span>
    ) : null;
  if (h.state === 'unresponsive')
    return (
      <span data-testid="host-details" className="warn">
        no heartbeat for {formatUptime(now - (h.lastSignAt ?? now))}
      </span>
    );
  return (
    <span data-testid="host-details">
      <span title="How long the host process has been running">
        host up {formatUptime(h.beat.uptimeMs)}
      </span>
      {' · '}
      <span title="Memory the host process uses (resident set size)">
        {mb(h.beat.rssBytes)} memory
      </span>
    </span>
  );
}
