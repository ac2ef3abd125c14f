// The session engine's facade: keeps what the session shows (status, notices, error) and joins
// its parts, each behind a narrow port: RunSupervisor (the CLI process), ConnectSequence (spec §2),
// RunControl (commands, pause/continue/mute), SessionEvents (the event registry) and
// WindowsBuildTracker (the target's Windows build). Host side.
import { AppError } from '../../../shared/contract/result';
import type { StreamHub } from '../../../shared/contract/hub';
import {
  connectInputSchema,
  type CommandResult,
  type ConnectInput,
  type EventInfo,
  type EventSource,
  type SessionCapability,
  type SessionState,
  type SessionStatus,
  UNKNOWN_WINDOWS_BUILD,
  type SinkTransport,
} from '../../../shared/contract/session';
import type { TargetCapability, ProfileDraft } from '../../../shared/model/actionTarget';
import type { EventBinding } from '../../../shared/model/eventBinding';
import type { RecordSink } from '../log/sink';
import { PtySpawnError, spawnPty, type PtyProcess, type SpawnOptions } from '../pty/ptyHost';
import type { CommandOutcome, CommandRequest } from './commandQueue';
import { ConnectSequence } from './connectSequence';
import { EventRegistry } from './eventRegistry';
import {
  connectSteps,
  defaultSimulatorEntry,
  planLaunch,
  type ConnectStep,
  type LaunchPlan,
} from './launchPlan';
import { bugCheckCause, silentDebuggeeCause } from './nxCrash';
import { RecordChannel } from './recordChannel';
import { NO_OP_SINK } from './recordForwarder';
import { debuggeeRunning, RunControl } from './runControl';
import { RunSupervisor, type Run, type RunStats, type SessionExit } from './runSupervisor';
import { SessionEvents, type ApplyOptions } from './sessionEvents';
import { defaultSinkTransport, listenForSink, type ListenForSink } from './sinkListener';
import { DEFAULT_TIMEOUTS, type SessionTimeouts } from './sessionTimeouts';
import { TerminalStream } from './terminalStream';
import { WindowsBuildTracker } from './windowsBuild';

export { DEFAULT_TIMEOUTS, type SessionTimeouts } from './sessionTimeouts';
export { describeExit, type RunStats } from './runSupervisor';

/** Notices kept at most (newest win): enough for every capability and binding warning. */
const MAX_NOTICES = 20;

export interface SessionServiceDeps {
  readonly hub: StreamHub;
  readonly dataDir: string;
  /** The log service; until it exists, records are dropped by a no-op sink. */
  readonly sink?: RecordSink;
  readonly simulatorEntry?: string;
  readonly timeouts?: Partial<SessionTimeouts>;
  /** Tests may stand in for the pty host. */
  readonly spawn?: (opts: SpawnOptions) => PtyProcess;
  /** Write the raw output to `<dataDir>/sessions/` (default true). */
  readonly transcript?: boolean;
  /**
   * Detect the Windows build at connect in VMI mode with a one-shot script event (the app does;
   * the engine's own tests and `capture` keep their event ids as they were). Default false.
   */
  readonly detectBuild?: boolean;
  /** The release the table of known builds gives a build (`Windows 10 1909`), if any. */
  readonly releaseOf?: (build: number) => string | null;
  /**
   * Where records travel: `auto` (default) forwards them through an output sink where the target
   * supports it (docs/hyperdbg-v0.23.md §6.4), `console` keeps them on the CLI's console.
   */
  readonly recordChannel?: 'auto' | 'console';
  /** The sink's transport (default: a named pipe on Windows, TCP elsewhere). */
  readonly sinkTransport?: SinkTransport;
  /** Tests may wrap the real sink listener (to break its connection, say). */
  readonly listenForSink?: ListenForSink;
}

/** A connect request; internal callers (the headless CLI) may pass simulator flags through. */
export interface StartRequest {
  readonly input: ConnectInput;
  /** Extra simulator command-line arguments (`--conpty`, `--stats-file F`, ...). */
  readonly extraSimulatorArgs?: readonly string[];
}

export class SessionService {
  private readonly hub: StreamHub;
  private readonly timeouts: SessionTimeouts;
  private readonly simulatorEntry: string;
  private readonly registry = new EventRegistry();
  private readonly supervisor: RunSupervisor;
  private readonly connectSequence: ConnectSequence<Run>;
  private readonly control: RunControl<Run>;
  private readonly events: SessionEvents<Run>;
  private readonly channel: RecordChannel<Run>;
  readonly terminal: TerminalStream;

  private status: SessionStatus = 'disconnected';
  private targetLabel: string | null = null;
  private isSimulator = false;
  private profileId: string | null = null;
  private capability: SessionCapability | null = null;
  private notices: string[] = [];
  private error: string | null = null;
  private exit: SessionExit | null = null;
  private queued = 0;
  private lastStart: StartRequest | null = null;
  private statePending = false;
  private readonly windowsBuild: WindowsBuildTracker;
  private readonly detectBuildAtConnect: boolean;
  private lifecycleChain: Promise<unknown> = Promise.resolve();
  private operationChain: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(deps: SessionServiceDeps) {
    this.hub = deps.hub;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
    this.simulatorEntry = deps.simulatorEntry ?? defaultSimulatorEntry();
    this.detectBuildAtConnect = deps.detectBuild === true;
    this.terminal = new TerminalStream({
      publish: (p) => this.hub.publish('terminal:data', p),
      hasConsole: () => this.hub.listenerCount('terminal:data') > 0,
      transcriptPath: () => this.supervisor.transcriptPath(),
    });
    this.supervisor = new RunSupervisor({
      sink: deps.sink ?? NO_OP_SINK,
      spawn: deps.spawn ?? spawnPty,
      transcriptDir: deps.transcript !== false ? deps.dataDir : null,
      timeouts: this.timeouts,
      consoleBytes: (chunk) => this.terminal.pushBytes(chunk),
      consoleEnded: () => this.terminal.endBytes(),
      isStarting: () => this.status === 'starting',
      isReady: () => this.status === 'ready',
      addNotice: (text) => this.addNotice(text),
      queuedChanged: (n) => {
        this.queued = n;
        this.changed();
      },
      factsChanged: (before, after) => {
        if (after.eventsResetCount !== before.eventsResetCount) {
          // The debuggee closed the link: the CLI cleared its events and reset IDs (spec §2.4).
          this.registry.reset();
          this.eventsChanged();
          this.addNotice(
            'the debuggee closed the connection: its events are gone (docs/hyperdbg-v0.23.md §2.4)',
          );
        }
        if (after.debuggee === 'running' && before.debuggee !== 'running') {
          this.registry.noteContinued();
          this.eventsChanged();
        }
        this.changed();
      },
      stopping: () => this.setStatus('stopping'),
      ended: (exit, lost) => {
        this.queued = 0;
        this.exit = exit;
        if (lost !== null) {
          const cause = bugCheckCause(exit, this.registry.list(), this.capability);
          this.error = cause !== null ? `${cause}. ${lost}` : lost;
          this.setStatus('lost');
        } else this.setStatus('disconnected');
        this.changed();
      },
      draining: (run) => this.channel.end(run),
    });
    const send = (run: Run, req: CommandRequest): Promise<CommandOutcome> =>
      run.queue.submit({ timeoutMs: this.timeouts.commandMs, ...req });
    const waitFor = this.supervisor.waitFor.bind(this.supervisor);
    const stop = (run: Run) => this.supervisor.stop(run);
    const refreshEvents = (run: Run) => this.events.refreshWith(run);
    this.connectSequence = new ConnectSequence<Run>({
      timeouts: this.timeouts,
      waitFor,
      send,
      stop,
      facts: () => this.supervisor.facts,
      lastExit: () => this.exit,
      setStatus: (s) => this.setStatus(s),
      setError: (message) => (this.error = message),
      setCapability: (c) => (this.capability = c),
      addNotice: (text) => this.addNotice(text),
      changed: () => this.changed(),
      canList: () => this.canList(),
      refreshEvents,
      // The record channel is chosen (and its sink set up) before any event can be applied.
      beforeReady: (run) => this.channel.open(run),
    });
    this.control = new RunControl<Run>({
      registry: this.registry,
      pauseMs: this.timeouts.pauseMs,
      current: () => this.supervisor.current,
      requireReady: () => this.requireReady(),
      exclusive: (fn) => this.exclusive(fn),
      send,
      interrupt: (run) => run.pty.interrupt(),
      commandSent: (run) => run.commandSent,
      facts: () => this.supervisor.facts,
      amendFacts: (patch) => this.supervisor.amendFacts(patch),
      waitFor,
      capability: () => this.capability,
      disconnect: () => this.disconnect(),
      state: () => this.getState(),
      addNotice: (text) => this.addNotice(text),
      changed: () => this.changed(),
      eventsChanged: () => this.eventsChanged(),
      refreshEvents,
      debuggeeUnanswered: () => {
        const cause = silentDebuggeeCause(this.registry.list(), this.capability);
        const run = this.supervisor.current;
        if (cause !== null && run !== null) {
          // Blocked in `g` for good: `exit` would never be read.
          run.unresponsive = true;
          this.error = cause;
          this.setStatus('lost');
        }
        return cause;
      },
    });
    this.channel = new RecordChannel<Run>({
      preference: deps.recordChannel ?? 'auto',
      transport: deps.sinkTransport ?? defaultSinkTransport(),
      listen: deps.listenForSink ?? listenForSink,
      connectMs: this.timeouts.sinkConnectMs,
      send,
      facts: () => this.supervisor.facts,
      canSend: () => this.canList(),
      alive: (run) => this.supervisor.current === run && run.endedAt === null,
      exclusive: (fn) => this.exclusive(fn),
      openTranscript: (run, label) => this.supervisor.sideTranscript(run, label),
      consoleText: (text) => this.terminal.pushText(text),
      eventsOn: (sink) =>
        this.registry
          .list()
          .filter((e) => e.state !== 'cleared' && e.binding?.output?.includes(sink) === true)
          .map((e) => e.id),
      addNotice: (text) => this.addNotice(text),
      changed: () => this.changed(),
    });
    this.events = new SessionEvents<Run>({
      registry: this.registry,
      requireReady: () => this.requireReady(),
      exclusive: (fn) => this.exclusive(fn),
      send,
      targetMode: () => (this.supervisor.facts.mode === 'debugger' ? 'debugger' : 'vmi'),
      capability: () => this.capability,
      canList: () => this.canList(),
      withDebuggeeHalted: (run, fn) => this.control.withDebuggeeHalted(run, fn),
      isDebuggerMode: () => this.supervisor.facts.mode === 'debugger',
      addNotice: (text) => this.addNotice(text),
      eventsChanged: () => this.eventsChanged(),
      autoUnpaused: () => this.control.autoUnpaused(),
      prepareRecords: (run) => this.channel.ensure(run),
      routeRecords: (binding) => this.channel.route(binding),
    });
    this.windowsBuild = new WindowsBuildTracker({
      probe: {
        // Its line is read on the console, so it never goes to the record sink.
        apply: (binding, source) => this.events.apply(binding, source, { keepConsole: true }),
        clear: async (id) => {
          await this.events.setState(id, 'clear');
        },
        waitFor,
        release: deps.releaseOf ?? (() => null),
      },
      generation: () => this.supervisor.generation,
      requireReady: () => this.requireReady(),
      changed: () => this.changed(),
      state: () => this.getState(),
    });
  }

  // ---------------------------------------------------------------- state

  getState(): SessionState {
    const f = this.supervisor.facts;
    const live = this.supervisor.current !== null;
    return {
      status: this.status,
      targetLabel: this.targetLabel,
      isSimulator: this.isSimulator,
      profileId: this.profileId,
      mode: live ? f.mode : 'none',
      debuggee: live && f.mode === 'debugger' ? f.debuggee : 'unknown',
      currentCore: live && f.mode === 'debugger' ? f.currentCore : null,
      vmmLoaded: live && f.vmmLoaded,
      muted: live && f.muted,
      banner: f.banner,
      debuggeeOs: live && f.mode === 'debugger' ? f.debuggeeOs : null,
      windowsBuild: live ? this.windowsBuild.of(f) : UNKNOWN_WINDOWS_BUILD,
      symbols: live ? f.symbols : 'unknown',
      capability: this.capability,
      notices: [...this.notices],
      error: this.error,
      exit: this.exit,
      queued: this.queued,
      records: this.channel.state,
      generation: this.supervisor.generation,
    };
  }

  /**
   * Detects the Windows build with the one-shot probe event (shared/hyperdbg/buildProbe.ts);
   * concurrent calls share one probe. Resolves with the state once it is known or failed.
   */
  detectBuild(): Promise<SessionState> {
    return this.windowsBuild.detect();
  }

  /** Counters of the current (or last) CLI process. */
  runStats(): RunStats | null {
    return this.supervisor.stats();
  }

  /** Resolves when the current CLI process has ended (at once when there is none). */
  whenExited(): Promise<void> {
    return this.supervisor.whenExited();
  }

  /** One session:state message per microtask, however many fields changed. */
  private changed(): void {
    if (this.statePending) return;
    this.statePending = true;
    queueMicrotask(() => {
      this.statePending = false;
      this.hub.publish('session:state', this.getState());
    });
  }

  private eventsChanged(): void {
    this.hub.publish('events:changed', this.registry.list());
  }

  private addNotice(text: string): void {
    if (this.notices.includes(text)) return;
    this.notices.push(text);
    if (this.notices.length > MAX_NOTICES)
      this.notices.splice(0, this.notices.length - MAX_NOTICES);
    this.changed();
  }

  private setStatus(status: SessionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.changed();
  }

  /** Whether `events` can be read now (the CLI reads stdin). */
  private canList(): boolean {
    return !debuggeeRunning(this.supervisor.facts);
  }

  private requireReady(): Run {
    const run = this.supervisor.current;
    if (run === null || this.status !== 'ready')
      throw new AppError(
        'session',
        this.status === 'connecting' || this.status === 'starting'
          ? 'the session is still connecting'
          : 'no connected session: connect first',
      );
    return run;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts the target's CLI (or the simulator) and runs its connect sequence. */
  connect(input: ConnectInput, extraSimulatorArgs: readonly string[] = []): Promise<SessionState> {
    return this.lifecycle(async () => {
      if (this.supervisor.current !== null)
        throw new AppError(
          'conflict',
          'a session is running: disconnect (or restart) before connecting again',
        );
      const request: StartRequest = { input, extraSimulatorArgs };
      this.lastStart = request;
      return this.start(request);
    });
  }

  /** Ends the session: `exit` to the CLI (which unloads what it loaded), then kills if needed. */
  async disconnect(): Promise<SessionState> {
    // Not behind a connect in progress: `.debug remote ...` may wait minutes for a debuggee,
    // and disconnecting is how the user gives up on it. The connect then ends as cancelled.
    const run = this.supervisor.current;
    if (run !== null) {
      run.cancelled = true;
      await this.supervisor.stop(run);
    }
    await this.lifecycle(async () => undefined);
    return this.getState();
  }

  /** Starts the last target again: a new CLI process (generation), event IDs from 0. */
  restart(): Promise<SessionState> {
    return this.lifecycle(async () => {
      const request = this.lastStart;
      if (request === null)
        throw new AppError('not-found', 'nothing to restart: no session was started yet');
      const run = this.supervisor.current;
      if (run !== null) await this.supervisor.stop(run);
      return this.start(request);
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const stopCurrent = async () => {
      const run = this.supervisor.current;
      if (run === null) return;
      run.cancelled = true;
      await this.supervisor.stop(run);
    };
    await stopCurrent();
    // A start under way when dispose began finishes (or fails) first; whatever process it
    // started is stopped too, so no simulator outlives the host.
    await this.lifecycle(stopCurrent);
    this.terminal.dispose();
  }

  /** Connect, disconnect's wait, restart and dispose run one after another. */
  private lifecycle<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lifecycleChain.then(fn, fn);
    this.lifecycleChain = next.catch(() => undefined);
    return next;
  }

  /** One compound operation at a time (pause-apply-continue must not interleave). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.operationChain.then(fn, fn);
    this.operationChain = next.catch(() => undefined);
    return next;
  }

  /** Plans the launch, starts a new generation, spawns the CLI and connects it. */
  private async start(request: StartRequest): Promise<SessionState> {
    if (this.disposed) throw new AppError('unavailable', 'the session service is shut down');
    const parsed = connectInputSchema.safeParse(request.input);
    if (!parsed.success)
      throw new AppError('invalid-input', parsed.error.issues[0]?.message ?? 'invalid profile');
    const { profile, profileId, simulator } = parsed.data;
    this.error = null;
    this.exit = null;
    this.notices = [];
    this.capability = null;
    this.windowsBuild.reset();
    this.profileId = profileId ?? null;
    let plan: LaunchPlan;
    let steps: ConnectStep[];
    try {
      steps = connectSteps(profile);
      plan = planLaunch(profile, simulator, request.extraSimulatorArgs ?? [], this.simulatorEntry);
    } catch (e) {
      return this.failStart(e, profile);
    }
    for (const w of plan.warnings) this.addNotice(w);
    const generation = this.supervisor.beginGeneration();
    this.registry.reset();
    this.eventsChanged();
    this.targetLabel = plan.targetLabel;
    this.isSimulator = plan.isSimulator;
    this.setStatus('starting');
    this.changed();
    if (this.terminal.totalChars > 0)
      this.terminal.pushText(`\r\n[--- ${plan.targetLabel}: process ${generation} ---]\r\n`);

    let run: Run;
    try {
      run = this.supervisor.spawn(plan, profile);
    } catch (e) {
      return this.failStart(e, profile);
    }
    this.channel.begin(run);
    await this.connectSequence.run(run, {
      isSimulator: plan.isSimulator,
      capability: profile.capability as TargetCapability,
      steps,
    });
    // VMI mode has no connect line naming the build: ask the kernel (in the background, so the
    // session is usable at once; the header shows "detecting" meanwhile).
    if (this.detectBuildAtConnect && this.supervisor.facts.mode === 'vmi')
      void this.detectBuild().catch(() => undefined);
    return this.getState();
  }

  private failStart(e: unknown, profile: ProfileDraft): never {
    const message =
      e instanceof PtySpawnError
        ? `${e.message}. ${e.hint}`
        : e instanceof Error
          ? e.message
          : String(e);
    this.error = message;
    this.targetLabel ??= profile.name;
    this.setStatus('disconnected');
    this.changed();
    throw new AppError(e instanceof PtySpawnError ? 'unavailable' : 'invalid-input', message);
  }

  // ---------------------------------------------------------------- run control

  /**
   * Sends one console line through the queue and returns its output (an event command with
   * custom code on a target that may fault on it needs `acceptNxCrash`, spec §5.6).
   */
  command(line: string, timeoutMs?: number, acceptNxCrash?: boolean): Promise<CommandResult> {
    return this.control.command(line, timeoutMs, acceptNxCrash);
  }

  /** Ctrl+C to the CLI. */
  interrupt(): SessionState {
    return this.control.interrupt();
  }

  /** Debugger Mode: halts the debuggee (Ctrl+C, spec §2.7). */
  pause(): Promise<SessionState> {
    return this.control.pause();
  }

  /** Debugger Mode: lets the debuggee run (`g`, which blocks the CLI, spec §1.8). */
  continue(): Promise<SessionState> {
    return this.control.continue();
  }

  /** VMI: `pause` (HyperDbg then discards kernel messages) or `g` (spec §2.7). */
  mute(muted: boolean): Promise<SessionState> {
    return this.control.mute(muted);
  }

  // ---------------------------------------------------------------- events

  listEvents(): EventInfo[] {
    return this.events.list();
  }

  refreshEvents(): Promise<EventInfo[]> {
    return this.events.refresh();
  }

  previewEvent(binding: EventBinding): { command: string; listed: string } {
    return this.events.preview(binding);
  }

  /** Registers a binding as a new event (see SessionEvents.apply). */
  applyEvent(
    binding: EventBinding,
    source?: EventSource,
    options?: ApplyOptions,
  ): Promise<EventInfo> {
    return this.events.apply(binding, source, options);
  }

  /** `events e|d|c <id|all>` (spec §4). */
  setEventState(id: string, op: 'enable' | 'disable' | 'clear'): Promise<EventInfo[]> {
    return this.events.setState(id, op);
  }

  // ---------------------------------------------------------------- console

  terminalSnapshot(): { data: string; seq: number; droppedChars: number } {
    return this.terminal.snapshot();
  }

  terminalAck(chars: number): null {
    this.terminal.ack(chars);
    return null;
  }
}
