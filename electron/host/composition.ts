// Composition root shared by every host (Electron main, the web host, tests): builds the
// services once and exposes them as contract handlers plus a stream hub. No `electron` import.
import { mkdirSync } from 'node:fs';
import type { Handlers } from '../../shared/contract/dispatch';
import { createStreamHub, type StreamHub } from '../../shared/contract/hub';
import type { SimulatorOptions } from '../../shared/contract/session';
import { createAppHandlers } from './app/appHandlers';
import { startHeartbeat } from './app/heartbeat';
import { createLibraryHandlers } from './library/handlers';
import { createLogHandlers } from './log/handlers';
import type { LogService } from './log/logService';
import { connectRecordSources } from './log/recordSources';
import { createSessionHandlers } from './session/handlers';
import { createTargetHandlers } from './target/handlers';
import { knownBuild } from '../../shared/model/knownBuilds';
import { loadKnownBuilds } from './target/knownBuildsFile';
import { SimulatorDryRun } from './target/simulatorDryRun';
import { TargetService } from './target/targetService';

export interface HostOptions {
  readonly hostKind: 'electron' | 'web';
  readonly dataDir: string;
  readonly appVersion: string;
  /** Options for the default (simulator) target, passed to the renderer in `app:info`. */
  readonly simulatorDefaults?: SimulatorOptions;
  /** Heartbeat period; tests shorten it. */
  readonly heartbeatMs?: number;
}

export interface Host {
  readonly handlers: Handlers;
  readonly hub: StreamHub;
  /**
   * The live log: `log.sink` is the session engine's RecordSink; `log.setSourceResolver` tells
   * it which action (and schema) explains an event's records; `log.exportsDir` is served by the
   * web host's download route.
   */
  readonly log: {
    readonly sink: LogService;
    readonly setSourceResolver: LogService['setSourceResolver'];
    readonly exportsDir: string;
  };
  dispose(): Promise<void>;
}

export async function createHost(opts: HostOptions): Promise<Host> {
  mkdirSync(opts.dataDir, { recursive: true });
  const hub = createStreamHub((e) => console.error('stream listener failed:', e));
  const stopHeartbeat = startHeartbeat(hub, opts.heartbeatMs);
  const table = loadKnownBuilds();
  // The editor's listing resolves structure fields for the connected target (see target/).
  let target: TargetService | null = null;
  const library = createLibraryHandlers({
    hub,
    dataDir: opts.dataDir,
    fieldEnvironment: (source, build) => target?.editorEnvironment(source, build),
  });
  // Before the session: the session writes its records into the log's sink.
  const log = createLogHandlers({ hub, dataDir: opts.dataDir, appVersion: opts.appVersion });
  const session = createSessionHandlers({
    hub,
    dataDir: opts.dataDir,
    sink: log.service,
    detectBuild: true,
    releaseOf: (build) => knownBuild(table, build)?.release ?? null,
  });
  target = new TargetService({
    session: {
      state: () => session.service.getState(),
      command: (line, timeoutMs) => session.service.command(line, timeoutMs),
      detectBuild: () => session.service.detectBuild(),
    },
    library: { get: (id) => library.getAction(id) },
    table,
    dryRun: new SimulatorDryRun(),
  });
  const targetService = target;
  // Records are decoded with the schema of the library action that created their event.
  const stopSources = connectRecordSources({
    hub,
    log: log.service,
    session: session.service,
    library,
  });
  const handlers: Handlers = {
    ...createAppHandlers(opts),
    ...library.handlers,
    ...session.handlers,
    ...log.handlers,
    ...createTargetHandlers(targetService),
  };
  return {
    handlers,
    hub,
    log: {
      sink: log.service,
      setSourceResolver: (r) => log.service.setSourceResolver(r),
      exportsDir: log.service.exportsDir,
    },
    async dispose() {
      stopHeartbeat();
      stopSources();
      // The session first: it may still be writing records the library's store must keep.
      await session.dispose();
      // Then the log: it writes what the session handed it last, then closes its database.
      await log.dispose();
      await targetService.dispose();
      await library.dispose();
    },
  };
}
