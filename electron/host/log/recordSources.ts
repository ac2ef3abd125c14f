// Connects the log to the session and the library at the composition root: the log decodes an
// event's records with the schema of the saved action that created it. Keeps the actions'
// schemas cached and fresh (library changes, new events). Host side.
import type { StreamHub } from '../../../shared/contract/hub';
import type { EventInfo, SessionState } from '../../../shared/contract/session';
import {
  ActionSchemaCache,
  createActionSourceResolver,
  type RecordActionLibrary,
} from './actionSourceResolver';
import type { LogService } from './logService';

export interface RecordSourceDeps {
  readonly hub: StreamHub;
  readonly log: Pick<LogService, 'setSourceResolver'>;
  readonly session: {
    listEvents(): readonly EventInfo[];
    getState(): SessionState;
  };
  /** The library, through the one read the log needs of it. */
  readonly library: RecordActionLibrary;
}

/** Sets the log's source resolver and keeps it fed; returns the function that stops it. */
export function connectRecordSources(deps: RecordSourceDeps): () => void {
  const cache = new ActionSchemaCache(() => deps.library.recordActions());
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
