// Contract handlers of the `log` domain, and the log service they call. The composition root
// hands `service` (a RecordSink) to the session engine and sets its source resolver. Host side.
import type { DomainHandlers } from '../../../shared/contract/dispatch';
import type { StreamHub } from '../../../shared/contract/hub';
import type { logMethods } from '../../../shared/contract/log';
import { assertExportPathAllowed } from './exportFiles';
import { LogService, type RecordSourceResolver } from './logService';

export interface LogHandlerDeps {
  readonly hub: StreamHub;
  readonly dataDir: string;
  readonly appVersion?: string;
  readonly resolveSource?: RecordSourceResolver;
}

export function createLogHandlers(deps: LogHandlerDeps): {
  handlers: DomainHandlers<typeof logMethods>;
  service: LogService;
  dispose(): Promise<void>;
} {
  const log = new LogService({
    hub: deps.hub,
    dataDir: deps.dataDir,
    appVersion: deps.appVersion,
    resolveSource: deps.resolveSource,
  });
  const handlers: DomainHandlers<typeof logMethods> = {
    'log:open-view': ({ filter }) => log.openView(filter),
    'log:set-filter': ({ viewId, filter }) => log.setFilter(viewId, filter),
    'log:set-paused': ({ viewId, paused }) => log.setPaused(viewId, paused),
    'log:set-sort': ({ viewId, sort }) => log.setSort(viewId, sort),
    'log:close-view': ({ viewId }) => {
      log.closeView(viewId);
      return null;
    },
    'log:page': ({ viewId, revision, offset, limit }) => log.page(viewId, revision, offset, limit),
    'log:record': ({ seq }) => log.record(seq),
    'log:stats': () => log.getStats(),
    'log:counts': ({ field, top, seconds, exact }) => log.counts(field, top, seconds, exact),
    'log:malformed': ({ offset, limit }) => log.malformedLines(offset, limit),
    'log:export': ({ viewId, format, path, overwrite }) => {
      if (path !== undefined) assertExportPathAllowed(path, log.exportsDir);
      return log.exportView(viewId, format, path, overwrite);
    },
  };
  return {
    handlers,
    service: log,
    dispose: async () => log.dispose(),
  };
}
