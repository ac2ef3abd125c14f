// Contract handlers of the `log` domain over any session: the live one (the RecordSink the
// session engine writes) or a past one opened read-only. A call that names a view goes to the
// session owning the view; one that names a session to that session; the rest to the live log.
// The composition root hands `service` to the session engine and sets its resolver. Host side.
import type { DomainHandlers } from '../../../shared/contract/dispatch';
import type { StreamHub } from '../../../shared/contract/hub';
import type { logMethods } from '../../../shared/contract/log';
import { assertExportPathAllowed } from './exportFiles';
import type { Jobs } from '../sessions/jobs';
import { LogService, type RecordSourceResolver } from './logService';
import type { SessionLogApi } from './sessionLog';

/** How a call finds its session's log. */
export interface LogRoute {
  logFor(session: string | undefined): SessionLogApi;
  logForView(viewId: string): SessionLogApi;
}

export interface LogHandlerDeps {
  readonly hub: StreamHub;
  readonly dataDir: string;
  readonly appVersion?: string;
  readonly resolveSource?: RecordSourceResolver;
  readonly jobs?: Jobs;
}

/** Routes every call to the live log (a host without past sessions, tests). */
export function liveOnly(log: LogService): LogRoute {
  return {
    logFor: () => log,
    logForView: () => log,
  };
}

export function createLogService(deps: LogHandlerDeps): LogService {
  return new LogService({
    hub: deps.hub,
    dataDir: deps.dataDir,
    appVersion: deps.appVersion,
    resolveSource: deps.resolveSource,
    jobs: deps.jobs,
  });
}

export function logHandlers(route: LogRoute): DomainHandlers<typeof logMethods> {
  const view = (id: string) => route.logForView(id);
  return {
    'log:open-view': ({ filter, session }) => route.logFor(session).openView(filter),
    'log:set-filter': ({ viewId, filter }) => view(viewId).setFilter(viewId, filter),
    'log:set-paused': ({ viewId, paused }) => view(viewId).setPaused(viewId, paused),
    'log:set-sort': ({ viewId, sort }) => view(viewId).setSort(viewId, sort),
    'log:close-view': ({ viewId }) => {
      // A view already gone (its session closed) is closed.
      try {
        view(viewId).closeView(viewId);
      } catch {
        // Nothing to close.
      }
      return null;
    },
    'log:page': ({ viewId, revision, offset, limit }) =>
      view(viewId).page(viewId, revision, offset, limit),
    'log:record': ({ seq, session }) => route.logFor(session).record(seq),
    'log:stats': ({ session }) => route.logFor(session).getStats(),
    'log:counts': ({ session, viewId, field, top, seconds, exact }) =>
      (viewId !== undefined ? view(viewId) : route.logFor(session)).counts({
        viewId,
        field,
        top,
        seconds,
        exact,
      }),
    'log:target-counts': ({ session, viewId }) =>
      (viewId !== undefined ? view(viewId) : route.logFor(session)).targetCounts?.() ?? {
        tables: [],
      },
    'log:malformed': ({ offset, limit, session }) =>
      route.logFor(session).malformedLines(offset, limit),
    'log:export': ({ viewId, format, path, overwrite, jobId }) => {
      const log = view(viewId);
      // A token holder may write only inside the exports folder (a native dialog is Electron's).
      if (path !== undefined) assertExportPathAllowed(path, log.exportsDir);
      return log.exportView(viewId, format, path, overwrite, jobId);
    },
  };
}

/** The log's service and handlers, routed to the live log only (tests of the log alone). */
export function createLogHandlers(deps: LogHandlerDeps): {
  handlers: DomainHandlers<typeof logMethods>;
  service: LogService;
  dispose(): Promise<void>;
} {
  const log = createLogService(deps);
  return {
    handlers: logHandlers(liveOnly(log)),
    service: log,
    dispose: async () => log.dispose(),
  };
}
