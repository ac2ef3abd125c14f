// Is the host there? The transport's state (browser mode: the WebSocket) and the host's
// heartbeat (once a second) say it together: a closed socket means the host is lost at once, a
// socket that stays open while no heartbeat comes means it stopped answering, and a host that
// answers this page with "wrong token" was restarted (its new URL carries a new token).
// The pure verdict plus a store the app starts once. Renderer only.
import { useSyncExternalStore } from 'react';
import type { HostClient } from '../../../shared/contract/client';
import type { Heartbeat } from '../../../shared/contract/app';

/**
 * No sign of life for this long (ms) and the host counts as not responding: it beats every
 * 1000 ms, so this is one missed beat plus the time a busy host may be late, and the header
 * says so within 2 s of the host stopping.
 */
export const HEARTBEAT_STALE_MS = 1750;
/** How often the verdict is re-checked while the socket is open (ms). */
export const HEALTH_CHECK_MS = 250;

/** The transport as the page sees it; `refused`: a host answers but not to this page's token. */
export type TransportState = 'connecting' | 'open' | 'closed' | 'refused';
export type HostHealthState = 'connecting' | 'up' | 'unresponsive' | 'lost' | 'refused';

export interface HostHealth {
  readonly state: HostHealthState;
  /** The latest heartbeat (uptime, memory), if any came on this connection. */
  readonly beat: Heartbeat | null;
  /** When the last sign of life came (ms since the epoch), or null. */
  readonly lastSignAt: number | null;
}

/** The verdict: `lastSignAt` is the later of the connection opening and the last heartbeat. */
export function hostHealthState(
  transport: TransportState,
  lastSignAt: number | null,
  now: number,
): HostHealthState {
  if (transport === 'refused') return 'refused';
  if (transport === 'closed') return 'lost';
  if (transport === 'connecting') return 'connecting';
  if (lastSignAt !== null && now - lastSignAt > HEARTBEAT_STALE_MS) return 'unresponsive';
  return 'up';
}

let health: HostHealth = { state: 'connecting', beat: null, lastSignAt: null };
const listeners = new Set<() => void>();
let transport: TransportState = 'connecting';
let started: HostClient | null = null;

function update(now = Date.now()): void {
  const state = hostHealthState(transport, health.lastSignAt, now);
  if (state === health.state) return;
  health = { ...health, state };
  for (const l of listeners) l();
}

function set(next: HostHealth): void {
  health = next;
  for (const l of listeners) l();
}

/** Follows this host's heartbeat and the page's transport; idempotent. */
export function startHostHealth(host: HostClient): void {
  if (started === host) return;
  started = host;
  host.subscribe('app:heartbeat', (beat) =>
    set({
      state: hostHealthState(transport, Date.now(), Date.now()),
      beat,
      lastSignAt: Date.now(),
    }),
  );
  setInterval(() => update(), HEALTH_CHECK_MS);
}

/** The page's transport changed (main.tsx). */
export function setTransport(next: TransportState): void {
  transport = next;
  // A new connection is a sign of life; a lost one forgets the old heartbeat's numbers.
  if (next === 'open') set({ ...health, lastSignAt: Date.now() });
  else if (next !== 'connecting') set({ ...health, beat: null });
  update();
}

export function getHostHealth(): HostHealth {
  return health;
}

export function useHostHealth(): HostHealth {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    () => health,
  );
}
