// The session's events and the log's statistics, kept current: pushed updates while subscribed,
// and a fresh read whenever the host connection opens or the CLI process (generation) changes.
// Shared by the event list and the binder's delivery choice, which both need the two together.
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import type { LogStats } from '../../../shared/contract/log';
import type { EventInfo } from '../../../shared/contract/session';
import { useUi } from '../app/appStore';
import { useHost } from '../host/hooks';

export interface LiveEvents {
  readonly events: readonly EventInfo[];
  /** For an operation's answer (the CLI's listing after enable/disable/clear/refresh). */
  readonly setEvents: Dispatch<SetStateAction<readonly EventInfo[]>>;
  readonly stats: LogStats | null;
}

export function useLiveEvents(generation: number | undefined): LiveEvents {
  const host = useHost();
  const transport = useUi((s) => s.transport);
  const [events, setEvents] = useState<readonly EventInfo[]>([]);
  const [stats, setStats] = useState<LogStats | null>(null);
  useEffect(() => {
    const offEvents = host.subscribe('events:changed', (list) => setEvents(list));
    const offStats = host.subscribe('log:stats', (s) => setStats(s));
    return () => {
      offEvents();
      offStats();
    };
  }, [host]);
  useEffect(() => {
    if (transport !== 'open') return;
    let live = true;
    void host.call('events:list', {}).then((r) => live && r.ok && setEvents(r.value));
    void host.call('log:stats', {}).then((r) => live && r.ok && setStats(r.value));
    return () => {
      live = false;
    };
  }, [host, transport, generation]);
  return { events, setEvents, stats };
}
