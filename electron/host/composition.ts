// Composition root shared by every host (Electron main, the web host, tests): builds the
// services once and exposes them as contract handlers plus a stream hub. No `electron` import.
import type { Handlers } from '../../shared/contract/dispatch';
import { createStreamHub, type StreamHub } from '../../shared/contract/hub';
import type { SimulatorOptions } from '../../shared/contract/session';
import { createAppHandlers } from './app/appHandlers';
import { startHeartbeat } from './app/heartbeat';
import { prepareDataFolders } from './dataFolders';
import { createLibraryHandlers } from './library/handlers';
import { createLogService, logHandlers } from './log/handlers';
import type { LogService } from './log/logService';
import { connectRecordSources } from './log/recordSources';
import { CliApprovals } from './session/cliApprovals';
import { createSessionHandlers } from './session/handlers';
import { flushAllTranscriptsSync } from './session/transcript';
import { sessionsHandlers } from './sessions/handlers';
import { importActionsOf } from './sessions/importActions';
import { Jobs } from './sessions/jobs';
import { SessionsService } from './sessions/sessionsService';
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
  /** What is wrong with the data folder, in words (empty when nothing is). */
  readonly storageProblems: readonly string[];
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
  /**
   * Writes what is still only in memory (transcript tails, records waiting for their batch),
   * synchronously: for the fatal-error path (fatal.ts), where nothing asynchronous runs after.
   */
  flushSync(): void;
  dispose(): Promise<void>;
}

export async function createHost(opts: HostOptions): Promise<Host> {
  // An unwritable data folder does not stop the host: the library is read-only and this run's
  // session data goes to a temporary folder; `storageProblems` says so.
  const folders = prepareDataFolders(opts.dataDir);
  const hub = createStreamHub((e) => console.error('stream listener failed:', e));
  const stopHeartbeat = startHeartbeat(hub, opts.heartbeatMs);
  const table = loadKnownBuilds();
  // The editor's listing resolves structure fields for the connected target (see target/).
  let target: TargetService | null = null;
  // Only a CLI the connection dialog checked in this run may be started through the contract.
  const cliApprovals = new CliApprovals();
  const library = createLibraryHandlers({
    hub,
    dataDir: opts.dataDir,
    readOnlyBecause: folders.readOnlyBecause,
    onCliChecked: (path) => cliApprovals.approve(path),
    fieldEnvironment: (source, build) => target?.editorEnvironment(source, build),
  });
  const jobs = new Jobs(hub);
  // Before the session: the session writes its records into the log's sink.
  const log = createLogService({
    hub,
    dataDir: folders.workDir,
    appVersion: opts.appVersion,
    jobs,
  });
  const session = createSessionHandlers({
    hub,
    dataDir: folders.workDir,
    sink: log,
    cliApprovals,
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
  const stopSources = connectRecordSources({ hub, log, session: session.service, library });
  // Every run's session database is a document: past ones are listed, opened, retired.
  const sessions = new SessionsService({
    dataDir: opts.dataDir,
    hub,
    jobs,
    appVersion: opts.appVersion,
    live: () => log,
    importActions: async () => importActionsOf(await library.recordActions()),
    readOnlyBecause: folders.readOnlyBecause,
  });
  try {
    sessions.applyRetention();
  } catch (e) {
    console.error('sessions: the retention policy could not be applied at start-up:', e);
  }
  const stopInfo = recordSessionInfo(hub, log, sessions);
  const sessionHandlers = session.handlers;
  const handlers: Handlers = {
    ...createAppHandlers({ ...opts, storageProblems: folders.problems }),
    ...library.handlers,
    ...sessionHandlers,
    // The simulator's OS build is only known from what the connect asked for.
    'session:connect': async (input, ctx) => {
      const state = await sessionHandlers['session:connect'](input, ctx);
      const build = input.profile.cliPath === '' ? input.simulator?.osBuild : undefined;
      log.setSessionInfo({ osBuild: build === undefined ? null : String(build) });
      return state;
    },
    ...logHandlers(sessions),
    ...sessionsHandlers(sessions, jobs),
    ...createTargetHandlers(targetService),
  };
  return {
    handlers,
    storageProblems: folders.problems,
    hub,
    log: {
      sink: log,
      setSourceResolver: (r) => log.setSourceResolver(r),
      exportsDir: log.exportsDir,
    },
    flushSync() {
      flushAllTranscriptsSync();
      log.flush();
    },
    async dispose() {
      stopHeartbeat();
      stopInfo();
      jobs.cancelAll();
      // The session first: it may still be writing records the library's store must keep.
      await session.dispose();
      // Its last records are decoded like the others: the resolver goes only after them.
      log.flush();
      stopSources();
      sessions.dispose();
      // Then the log: it writes what the session handed it last, then closes its database.
      log.dispose();
      await targetService.dispose();
      await library.dispose();
    },
  };
}

/**
 * Keeps the live session database's description current from the session state (target, mode,
 * capability, CLI version), and tells the Sessions view when a CLI process starts or ends.
 */
function recordSessionInfo(hub: StreamHub, log: LogService, sessions: SessionsService): () => void {
  let lastStatus: string | null = null;
  return hub.subscribe('session:state', (s) => {
    log.setSessionInfo({
      targetLabel: s.targetLabel,
      mode: s.mode === 'none' ? null : s.mode,
      capability: s.capability?.capability ?? null,
      cliVersion: s.banner?.version ?? null,
    });
    const settled = s.status === 'ready' || s.status === 'disconnected' || s.status === 'lost';
    if (settled && s.status !== lastStatus) sessions.changed(`session ${s.status}`);
    lastStatus = s.status;
  });
}
