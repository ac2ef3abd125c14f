// Connects the log to the session and the library at the composition root: the log decodes an
// event's records with the schema of the saved action that created it. Keeps the actions'
// schemas cached and fresh (library changes, new events). Host side.
import type { Handlers } from '../../../shared/contract/dispatch';
import type { StreamHub } from '../../../shared/contract/hub';
import type { EventInfo, SessionState } from '../../../shared/contract/session';
import {
  ActionSchemaCache,
  createActionSourceResolver,
  type CachedAction,
} from './actionSourceResolver';
import type { LogService } from './logService';

export interface RecordSourceDeps {
  readonly hub: StreamHub;
  readonly log: LogService;
  readonly session: {
    listEvents(): readonly EventInfo[];
    getState(): SessionState;
  };
  /** The library's own handlers: the same reads the renderer makes. */
  readonly library: Pick<Handlers, 'library:list' | 'library:get'>;
}

const CTX = { transport: 'memory' } as const;
/**
 * Actions read between two turns of the event loop when the cache reloads: a library of
 * thousands (after a large import) must not hold up the pty reader or the heartbeat.
 */
const ACTIONS_PER_TURN = 250;

/** Sets the log's source resolver and keeps it fed; returns the function that stops it. */
export function connectRecordSources(deps: RecordSourceDeps): () => void {
  const cache = new ActionSchemaCache(async () => {
    const list = await deps.library['library:list']({ includeDeleted: true }, CTX);
    const out: CachedAction[] = [];
    let read = 0;
    for (const s of list) {
      // A damaged row has no schema to decode with; its records show as hex.
      if (s.kind === 'break' || s.damaged !== undefined) continue;
      if (++read % ACTIONS_PER_TURN === 0) await new Promise((r) => setImmediate(r));
      const a = await deps.library['library:get']({ id: s.id }, CTX);
      if (a.kind === 'break') continue;
      out.push({ id: a.id, name: a.name, kind: a.kind, bufferSchema: a.bufferSchema });
    }
    return out;
  });
  void cache.refresh();
  deps.log.setSourceResolver(
    createActionSourceResolver({
      events: () => deps.session.listEvents(),
      generation: () => deps.session.getState().generation,
      returnsBuffers: () => deps.session.getState().capability?.returnsBuffers ?? null,
      action: (id) => cache.get(id),
    }),
  );
  const offLibrary = deps.hub.subscribe('library:changed', (c) => {
    if (c.scope === 'actions') void cache.refresh();
  });
  // An event bound to an action the cache has not seen yet (created a moment ago): reload.
  const offEvents = deps.hub.subscribe('events:changed', (events) => {
    if (events.some((e) => e.source?.actionIds.some((id) => cache.get(id) === undefined)))
      void cache.refresh();
  });
  return () => {
    offLibrary();
    offEvents();
    deps.log.setSourceResolver(undefined);
  };
}
