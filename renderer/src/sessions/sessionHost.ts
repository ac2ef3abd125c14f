// A HostClient that reads one past session: the log's calls that name a session get its id, and
// its view updates arrive from `sessions:log-update`. The live log's panes (table, filters,
// counts, record detail, export) then work over the past session unchanged. Renderer only.
import type { HostClient } from '../../../shared/contract/client';
import type { MethodName, StreamName } from '../../../shared/contract/index';

/** The log methods that read a session (the others name a view, which belongs to one). */
const SESSION_METHODS: ReadonlySet<MethodName> = new Set<MethodName>([
  'log:open-view',
  'log:record',
  'log:stats',
  'log:counts',
  'log:malformed',
]);

const hosts = new WeakMap<HostClient, Map<string, HostClient>>();

/** The client for past session `session` (the same object each time, so its log store is too). */
export function sessionHost(host: HostClient, session: string): HostClient {
  let bySession = hosts.get(host);
  if (bySession === undefined) hosts.set(host, (bySession = new Map()));
  const known = bySession.get(session);
  if (known !== undefined) return known;
  const client: HostClient = {
    transportState: host.transportState,
    call(channel, input) {
      if (!SESSION_METHODS.has(channel)) return host.call(channel, input);
      return host.call(channel, { ...(input as object), session } as typeof input);
    },
    subscribe(stream, listener) {
      const s: StreamName = stream;
      if (s === 'log:update')
        return host.subscribe('sessions:log-update', (p) => {
          if (p.session === session) (listener as (u: typeof p.update) => void)(p.update);
        });
      // A past session's records and stats do not change.
      if (s === 'log:stats') return () => undefined;
      return host.subscribe(stream, listener);
    },
  };
  bySession.set(session, client);
  return client;
}

/** Forgets the client of a closed session (its store was disposed with it). */
export function forgetSessionHost(host: HostClient, session: string): void {
  hosts.get(host)?.delete(session);
}
