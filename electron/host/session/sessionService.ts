// The session engine: drives hyperdbg-cli (or the built-in simulator) through the pty host, feeds
// every byte to the output parser, the transcript and the console stream, hands records to the
// log's RecordSink, follows the CLI's state from what it prints, runs the connect sequences of
// spec §2, and keeps the event registry. One CLI process at a time; a restart starts a new
// generation. Host side.
import { constants as osConstants } from 'node:os';
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
} from '../../../shared/contract/session';
import type { TargetMode } from '../../../shared/hyperdbg/commandBuilder';
import type { ParserItem, ParserStats } from '../../../shared/hyperdbg/items';
import { createOutputParser, type OutputParser } from '../../../shared/hyperdbg/outputParser';
import type { TargetCapability, ProfileDraft } from '../../../shared/model/actionTarget';
import type { EventBinding } from '../../../shared/model/eventBinding';
import type { RecordSink } from '../log/sink';
import {
  PtySpawnError,
  spawnPty,
  type PtyExit,
  type PtyProcess,
  type SpawnOptions,
} from '../pty/ptyHost';
import { capabilityNotices, detectCapability } from './capability';
import { INITIAL_FACTS, reduceFacts, type CliFacts } from './cliFacts';
import { checkCommandLine, cliTokens } from './commandLine';
import { CommandQueue, ENTER, type CommandOutcome, type CommandRequest } from './commandQueue';
import { EventRegistry } from './eventRegistry';
import { eventKindOfLine } from './idConsumption';
import {
  connectSteps,
  defaultSimulatorEntry,
  explainStepFailure,
  planLaunch,
  type ConnectStep,
  type LaunchPlan,
} from './launchPlan';
import { NO_OP_SINK, RecordForwarder, type ForwarderCounts } from './recordForwarder';
import { SessionEvents } from './sessionEvents';
import { TerminalStream } from './terminalStream';
import { Transcript } from './transcript';

export interface SessionTimeouts {
  /** From spawn to the first prompt (the banner comes first, spec §1.2). */
  readonly startupMs: number;
  /** A command that gave no timeout of its own. */
  readonly commandMs: number;
  /** `load vmm` installs and starts a driver (spec §2.6). */
  readonly loadMs: number;
  /** `.debug remote ...` waits for the debuggee with no timeout of its own (spec §2.3). */
  readonly debuggeeConnectMs: number;
  /** Ctrl+C to the kernel prompt of a paused debuggee (spec §2.7). */
  readonly pauseMs: number;
  /** `exit` unloads the driver first (spec §2.8: about a second) before the process ends. */
  readonly exitMs: number;
}

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  startupMs: 15_000,
  commandMs: 15_000,
  loadMs: 60_000,
  debuggeeConnectMs: 120_000,
  pauseMs: 10_000,
  exitMs: 10_000,
};

/** After `kill`, how long the pty host may take to report the exit (ms). */
const KILL_WAIT_MS = 3_000;
/** Notices kept at most (newest win): enough for every capability and binding warning. */
const MAX_NOTICES = 20;
/**
 * Output lines kept while starting, and how many of the first and last are quoted when the CLI
 * dies before its first prompt (an error comes first, a usage text after it).
 */
const STARTUP_KEPT_LINES = 200;
const STARTUP_QUOTED_HEAD = 3;
const STARTUP_QUOTED_TAIL = 2;

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
}

/** A connect request; internal callers (the headless CLI) may pass simulator flags through. */
export interface StartRequest {
  readonly input: ConnectInput;
  /** Extra simulator command-line arguments (`--conpty`, `--stats-file F`, ...). */
  readonly extraSimulatorArgs?: readonly string[];
}

export interface RunStats {
  readonly generation: number;
  /** The CLI's process id. */
  readonly pid: number;
  readonly forwarded: Readonly<ForwarderCounts>;
  readonly parser: Readonly<ParserStats>;
  readonly transcriptPath: string | null;
  readonly transcriptBytes: number;
  readonly startedAt: number;
  readonly endedAt: number | null;
}

interface Run {
  readonly generation: number;
  readonly plan: LaunchPlan;
  readonly profile: ProfileDraft;
  readonly pty: PtyProcess;
  readonly parser: OutputParser;
  readonly queue: CommandQueue;
  readonly forwarder: RecordForwarder;
  readonly transcript: Transcript | null;
  readonly exited: Promise<PtyExit>;
  readonly startedAt: number;
  endedAt: number | null;
  /** We asked it to end (disconnect, failed connect): its exit is no loss. */
  expectedExit: boolean;
  /** A command has been sent: Ctrl+C no longer kills the CLI (spec §1.3). */
  commandSent: boolean;
  /** Disconnected by the user while connecting. */
  cancelled: boolean;
  /** Recent output lines, for a start-up failure's message. */
  readonly recentLines: string[];
}

interface Waiter {
  readonly test: (facts: CliFacts, item: ParserItem | null) => boolean;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

function signalName(signal: number): string {
  const e = Object.entries(osConstants.signals).find(([, n]) => n === signal);
  return e === undefined ? `signal ${signal}` : `signal ${signal} (${e[0]})`;
}

export function describeExit(exit: PtyExit): string {
  return exit.signal !== undefined
    ? `killed by ${signalName(exit.signal)}`
    : `exit code ${exit.exitCode}`;
}

/** Commands after which the `events` listing is read again. */
function mayChangeEvents(line: string): boolean {
  const tokens = cliTokens(line);
  const first = tokens[0]?.toLowerCase() ?? '';
  if (eventKindOfLine(line) !== null) return true;
  if (first === 'events') return tokens.length > 1;
  return ['unload', '.debug', '.connect', '.disconnect', 'load'].includes(first);
}

export class SessionService {
  private readonly hub: StreamHub;
  private readonly sink: RecordSink;
  private readonly timeouts: SessionTimeouts;
  private readonly spawnPty: (opts: SpawnOptions) => PtyProcess;
  private readonly simulatorEntry: string;
  private readonly registry = new EventRegistry();
  private readonly events = new SessionEvents<Run>({
    registry: this.registry,
    requireReady: () => this.requireReady(),
    exclusive: (fn) => this.exclusive(fn),
    send: (run, req) => this.send(run, req),
    targetMode: () => this.targetMode(),
    capability: () => this.capability,
    canList: () => this.canList(),
    withDebuggeeHalted: (run, fn) => this.withDebuggeeHalted(run, fn),
    isDebuggerMode: () => this.facts.mode === 'debugger',
    addNotice: (text) => this.addNotice(text),
    eventsChanged: () => this.eventsChanged(),
    autoUnpaused: () => this.autoUnpaused(),
  });
  readonly terminal: TerminalStream;

  private run: Run | null = null;
  private lastRun: Run | null = null;
  private generation = 0;
  private facts: CliFacts = INITIAL_FACTS;
  private status: SessionStatus = 'disconnected';
  private targetLabel: string | null = null;
  private isSimulator = false;
  private profileId: string | null = null;
  private capability: SessionCapability | null = null;
  private notices: string[] = [];
  private error: string | null = null;
  private exit: SessionState['exit'] = null;
  private queued = 0;
  private lastStart: StartRequest | null = null;
  private statePending = false;
  private readonly waiters = new Set<Waiter>();
  private lifecycleChain: Promise<unknown> = Promise.resolve();
  private operationChain: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly deps: SessionServiceDeps) {
    this.hub = deps.hub;
    this.sink = deps.sink ?? NO_OP_SINK;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
    this.spawnPty = deps.spawn ?? spawnPty;
    this.simulatorEntry = deps.simulatorEntry ?? defaultSimulatorEntry();
    this.terminal = new TerminalStream({
      publish: (p) => this.hub.publish('terminal:data', p),
      hasConsole: () => this.hub.listenerCount('terminal:data') > 0,
      transcriptPath: () => (this.run ?? this.lastRun)?.transcript?.path ?? null,
    });
  }

  // ---------------------------------------------------------------- state

  getState(): SessionState {
    const f = this.facts;
    const live = this.run !== null;
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
      capability: this.capability,
      notices: [...this.notices],
      error: this.error,
      exit: this.exit,
      queued: this.queued,
      generation: this.generation,
    };
  }

  /** Counters of the current (or last) CLI process. */
  runStats(): RunStats | null {
    const r = this.run ?? this.lastRun;
    if (r === null) return null;
    return {
      generation: r.generation,
      pid: r.pty.pid,
      forwarded: { ...r.forwarder.counts },
      parser: { ...r.parser.stats },
      transcriptPath: r.transcript?.path ?? null,
      transcriptBytes: r.transcript?.size ?? 0,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
    };
  }

  /** Resolves when the current CLI process has ended (at once when there is none). */
  async whenExited(): Promise<void> {
    const r = this.run;
    if (r !== null) await r.exited;
  }

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

  // ---------------------------------------------------------------- lifecycle

  /** Starts the target's CLI (or the simulator) and runs its connect sequence. */
  connect(input: ConnectInput, extraSimulatorArgs: readonly string[] = []): Promise<SessionState> {
    return this.lifecycle(async () => {
      if (this.run !== null)
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
    const run = this.run;
    if (run !== null) {
      run.cancelled = true;
      await this.stopRun(run);
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
      const run = this.run;
      if (run !== null) await this.stopRun(run);
      return this.start(request);
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const stopCurrent = async () => {
      const run = this.run;
      if (run === null) return;
      run.cancelled = true;
      await this.stopRun(run);
    };
    await stopCurrent();
    // A start under way when dispose began finishes (or fails) first; whatever process it
    // started is stopped too, so no simulator outlives the host.
    await this.lifecycle(stopCurrent);
    this.terminal.dispose();
  }

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
    this.generation++;
    this.registry.reset();
    this.eventsChanged();
    this.facts = INITIAL_FACTS;
    this.targetLabel = plan.targetLabel;
    this.isSimulator = plan.isSimulator;
    this.setStatus('starting');
    this.changed();
    if (this.terminal.totalChars > 0)
      this.terminal.pushText(`\r\n[--- ${plan.targetLabel}: process ${this.generation} ---]\r\n`);

    let pty: PtyProcess;
    try {
      pty = this.spawnPty({
        file: plan.file,
        args: plan.args,
        ...(plan.cwd !== undefined ? { cwd: plan.cwd } : {}),
        env: plan.env,
      });
    } catch (e) {
      return this.failStart(e, profile);
    }
    const run = this.attach(pty, plan, profile);
    try {
      await this.waitFor(
        (_f, item) => item?.type === 'prompt' && item.mode !== 'continuation',
        this.timeouts.startupMs,
        'the first prompt',
      );
    } catch {
      if (run.cancelled) return this.cancelledConnect(run);
      if (run.endedAt !== null) await run.exited;
      const lines = run.recentLines;
      const last = (
        lines.length <= STARTUP_QUOTED_HEAD + STARTUP_QUOTED_TAIL
          ? lines
          : [...lines.slice(0, STARTUP_QUOTED_HEAD), '...', ...lines.slice(-STARTUP_QUOTED_TAIL)]
      )
        .map((l) => l.trim())
        .join(' | ');
      const who = plan.isSimulator ? 'the simulator' : 'hyperdbg-cli';
      const why =
        this.exit !== null && run.endedAt !== null
          ? `${who} ended before its first prompt (${describeExitState(this.exit)})`
          : `${who} printed no prompt within ${this.timeouts.startupMs} ms`;
      this.error = `${why}${last.length > 0 ? `: ${last}` : ''}`;
      if (run.endedAt === null) await this.stopRun(run);
      this.setStatus('disconnected');
      this.changed();
      throw new AppError('session', this.error);
    }

    this.capability = detectCapability(
      this.facts.banner,
      this.facts.bannerIsSimulator,
      profile.capability as TargetCapability,
    );
    for (const n of capabilityNotices(this.capability)) this.addNotice(n);
    this.setStatus('connecting');
    for (const step of steps) {
      let outcome: CommandOutcome;
      try {
        outcome = await this.send(run, {
          line: step.line,
          completion: step.completion,
          timeoutMs:
            step.completion === 'blocking' ? this.timeouts.debuggeeConnectMs : this.timeouts.loadMs,
        });
      } catch (e) {
        const msg =
          e instanceof AppError && e.code === 'timeout'
            ? `${step.what}: no answer within ${step.completion === 'blocking' ? this.timeouts.debuggeeConnectMs : this.timeouts.loadMs} ms${step.completion === 'blocking' ? ' (is the debuggee VM running and waiting on this link?)' : ''}`
            : `${step.what} failed: ${e instanceof Error ? e.message : String(e)}`;
        return this.failConnect(run, msg);
      }
      const ok = outcome.items.some(
        (i) => (i.type === 'status' || i.type === 'error') && step.success.includes(i.code),
      );
      if (!ok)
        return this.failConnect(
          run,
          explainStepFailure(step, outcome.result.errors, outcome.result.lines),
        );
    }
    this.setStatus('ready');
    this.changed();
    if (this.canList()) await this.refreshInternal(run).catch(() => undefined);
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

  private async failConnect(run: Run, message: string): Promise<never> {
    if (run.cancelled) return this.cancelledConnect(run);
    this.error = message;
    this.changed();
    await this.stopRun(run);
    this.error = message;
    this.setStatus('disconnected');
    this.changed();
    throw new AppError('session', message);
  }

  /** The user disconnected while connecting: no error, just the end of it. */
  private async cancelledConnect(run: Run): Promise<never> {
    await this.stopRun(run);
    this.error = null;
    this.setStatus('disconnected');
    this.changed();
    throw new AppError('cancelled', 'the connection was cancelled (disconnect while connecting)');
  }

  /** Wires a spawned pty to the parser, the queue, the sink, the transcript and the console. */
  private attach(pty: PtyProcess, plan: LaunchPlan, profile: ProfileDraft): Run {
    const generation = this.generation;
    const startedAt = Date.now();
    let transcript: Transcript | null = null;
    if (this.deps.transcript !== false) {
      try {
        transcript = Transcript.open(this.deps.dataDir, generation, new Date(startedAt));
      } catch (e) {
        this.addNotice(
          `the session transcript cannot be written (${e instanceof Error ? e.message : String(e)}); the console and the log still get everything`,
        );
      }
    }
    let resolveExit: (e: PtyExit) => void = () => undefined;
    const exited = new Promise<PtyExit>((r) => (resolveExit = r));
    const parser = createOutputParser(
      plan.wrapWidth !== undefined ? { wrapWidth: plan.wrapWidth } : {},
    );
    const run: Run = {
      generation,
      plan,
      profile,
      pty,
      parser,
      queue: new CommandQueue({
        write: (data) => {
          run.commandSent = true;
          pty.write(data);
        },
        expectEcho: (line) => parser.expectEcho(line),
        canSend: () => !(this.facts.mode === 'debugger' && this.facts.debuggee === 'running'),
        now: () => Date.now(),
        onCountChange: (n) => {
          if (this.run === run) {
            this.queued = n;
            this.changed();
          }
        },
      }),
      forwarder: new RecordForwarder(this.sink, generation, (e) =>
        this.addNotice(
          `the record log failed to take a batch (${e instanceof Error ? e.message : String(e)})`,
        ),
      ),
      transcript,
      exited,
      startedAt,
      endedAt: null,
      expectedExit: false,
      commandSent: false,
      cancelled: false,
      recentLines: [],
    };
    this.run = run;
    this.lastRun = run;
    try {
      this.sink.sessionStarted({ generation, at: startedAt, targetLabel: plan.targetLabel });
    } catch (e) {
      run.forwarder.counts.sinkErrors++;
      this.addNotice(`the record log refused the session start (${String(e)})`);
    }
    pty.onData((chunk) => this.onChunk(run, chunk));
    pty.onExit((exit) => {
      void this.onExit(run, exit).then(() => resolveExit(exit));
    });
    return run;
  }

  private onChunk(run: Run, chunk: Uint8Array): void {
    if (run.endedAt !== null) return;
    run.transcript?.write(chunk);
    this.terminal.pushBytes(chunk);
    const items = run.parser.push(chunk);
    if (items.length > 0) this.onItems(run, items);
  }

  private onItems(run: Run, items: readonly ParserItem[]): void {
    const now = Date.now();
    for (const item of items) {
      if (item.type === 'record') {
        run.forwarder.record(item, now);
        continue;
      }
      if (item.type === 'text' && item.malformed === true)
        run.forwarder.malformed(item.text, item.reason ?? 'not a valid HDBG1 record', now);
      if (this.status === 'starting' && item.type !== 'prompt' && item.type !== 'echo') {
        const text = 'text' in item ? item.text : '';
        if (text.trim().length > 0) {
          run.recentLines.push(text);
          if (run.recentLines.length > STARTUP_KEPT_LINES) run.recentLines.pop();
        }
      }
      const before = this.facts;
      const after = reduceFacts(before, item);
      if (after !== before) {
        this.facts = after;
        this.factsChanged(run, before, after);
      }
      run.queue.onItem(item);
      this.checkWaiters(item);
    }
  }

  private factsChanged(run: Run, before: CliFacts, after: CliFacts): void {
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
    if (after.debuggee !== before.debuggee || after.mode !== before.mode) run.queue.pump();
    this.changed();
  }

  private async onExit(run: Run, exit: PtyExit): Promise<void> {
    if (run.endedAt !== null) return;
    const tail = run.parser.end();
    if (tail.length > 0) this.onItems(run, tail);
    this.terminal.endBytes();
    run.endedAt = Date.now();
    run.forwarder.flush();
    const how = describeExit(exit);
    const who = run.plan.isSimulator ? 'the simulator' : 'hyperdbg-cli';
    run.queue.close(new AppError('session', `${who} ended (${how}) before answering`));
    for (const w of [...this.waiters]) {
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.reject(new AppError('session', `${who} ended (${how})`));
    }
    await run.transcript?.close();
    if (run.transcript?.failure != null)
      this.addNotice(`the session transcript stopped: ${run.transcript.failure.message}`);
    const reason = run.expectedExit ? `ended by the user (${how})` : `ended unexpectedly (${how})`;
    try {
      this.sink.sessionEnded({
        generation: run.generation,
        at: run.endedAt,
        targetLabel: run.plan.targetLabel,
        reason,
      });
    } catch (e) {
      run.forwarder.counts.sinkErrors++;
      this.addNotice(`the record log refused the session end (${String(e)})`);
    }
    if (this.run !== run) return;
    this.run = null;
    this.queued = 0;
    this.exit = { code: exit.exitCode, signal: exit.signal ?? null, at: run.endedAt };
    if (!run.expectedExit) {
      const received = run.forwarder.counts.records;
      this.error = `${who} ${reason}; everything it printed is kept (${received} records${run.transcript !== null ? `, transcript ${run.transcript.path}` : ''}). Restart to start it again.`;
      this.setStatus('lost');
    } else this.setStatus('disconnected');
    this.changed();
  }

  /** Asks the CLI to exit; kills it when it does not. Resolves once it is gone. */
  private async stopRun(run: Run): Promise<void> {
    if (run.endedAt !== null) return;
    run.expectedExit = true;
    this.setStatus('stopping');
    run.queue.cancelWaiting(new AppError('cancelled', 'the session is ending'));
    const wait = (ms: number) =>
      new Promise<boolean>((resolve) => {
        // The timer is cleared on exit, so a finished session keeps no process alive.
        const timer = setTimeout(() => resolve(false), ms);
        void run.exited.then(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    // Blocked in `.debug remote ...` waiting for a debuggee (spec §2.3: no timeout, Ctrl+C does
    // not abort it), the CLI would never read `exit`.
    const waitingForDebuggee = run.queue.blockedInCommand && this.facts.mode !== 'debugger';
    if (run.commandSent && !waitingForDebuggee) {
      if (this.facts.mode === 'debugger' && this.facts.debuggee === 'running') {
        // The CLI reads nothing while the debuggee runs (spec §1.8): pause it first.
        run.pty.interrupt();
        await this.waitFor(
          (f) => f.debuggee !== 'running',
          this.timeouts.pauseMs,
          'the debuggee to pause',
        ).catch(() => undefined);
      }
      // `exit` unloads the vmm in VMI mode and closes a Debugger-Mode link first (spec §2.8).
      run.pty.write(`exit${ENTER}`);
      if (await wait(this.timeouts.exitMs)) return;
    }
    run.pty.kill();
    if (await wait(KILL_WAIT_MS)) return;
    // The pty host never reported the end: finish the run ourselves so nothing waits forever.
    await this.onExit(run, { exitCode: -1, signal: undefined });
  }

  // ---------------------------------------------------------------- waiting

  private waitFor(
    test: (facts: CliFacts, item: ParserItem | null) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<void> {
    if (test(this.facts, null)) return Promise.resolve();
    if (this.run === null)
      return Promise.reject(new AppError('session', `no CLI is running to wait for ${what}`));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        test,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          reject(new AppError('timeout', `no ${what} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  private checkWaiters(item: ParserItem): void {
    if (this.waiters.size === 0) return;
    for (const w of [...this.waiters]) {
      if (!w.test(this.facts, item)) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve();
    }
  }

  // ---------------------------------------------------------------- commands

  private requireReady(): Run {
    const run = this.run;
    if (run === null || this.status !== 'ready')
      throw new AppError(
        'session',
        this.status === 'connecting' || this.status === 'starting'
          ? 'the session is still connecting'
          : 'no connected session: connect first',
      );
    return run;
  }

  private debuggeeRunning(): boolean {
    return this.facts.mode === 'debugger' && this.facts.debuggee === 'running';
  }

  /** Whether `events` can be read now (the CLI reads stdin). */
  private canList(): boolean {
    return !this.debuggeeRunning();
  }

  private targetMode(): TargetMode {
    return this.facts.mode === 'debugger' ? 'debugger' : 'vmi';
  }

  private send(run: Run, req: CommandRequest): Promise<CommandOutcome> {
    return run.queue.submit({ timeoutMs: this.timeouts.commandMs, ...req });
  }

  /** Sends one console line through the queue and returns its output. */
  async command(line: string, timeoutMs?: number): Promise<CommandResult> {
    const check = checkCommandLine(line);
    if (!check.ok) throw new AppError('invalid-input', `the command ${check.message}`, 'line');
    const tokens = cliTokens(line);
    const first = tokens[0]?.toLowerCase() ?? '';
    if (first === 'exit') {
      const t0 = Date.now();
      this.requireReady();
      await this.disconnect();
      return { command: line, lines: [], errors: [], durationMs: Date.now() - t0 };
    }
    return this.exclusive(async () => {
      const run = this.requireReady();
      if (this.debuggeeRunning())
        throw new AppError(
          'session',
          'the debuggee is running: hyperdbg-cli reads no input until it pauses (docs/hyperdbg-v0.23.md §1.8); pause it first',
        );
      const blocking =
        (this.facts.mode === 'debugger' && first === 'g') ||
        (first === '.debug' && tokens.some((t) => t.toLowerCase() === 'remote'));
      const vmiBefore = this.facts.mode !== 'debugger';
      const outcome = await this.send(run, {
        line,
        completion: blocking ? 'blocking' : 'marker',
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
      if (vmiBefore && first === 'g' && this.facts.muted) {
        // VMI `g` prints nothing; it only turns kernel messages back on (spec §2.7).
        this.facts = { ...this.facts, muted: false };
        this.changed();
      }
      if (eventKindOfLine(line) !== null) {
        const codes = outcome.result.errors.map((e) => e.code);
        const lower = line.toLowerCase();
        const verdict = this.registry.noteEventCommand(line, codes, {
          foreign: true,
          printsRecords:
            / script[ {]/.test(lower) ||
            (/ code[ {]/.test(lower) &&
              / buffer /.test(lower) &&
              this.capability?.returnsBuffers === true),
          at: Date.now(),
        });
        if (verdict.created) this.autoUnpaused();
        this.eventsChanged();
      }
      if (mayChangeEvents(line) && this.canList() && this.run === run)
        await this.refreshInternal(run).catch(() => undefined);
      return outcome.result;
    });
  }

  /** A VMI event command succeeded: HyperDbg's auto-unpause ended a pause (spec §2.7). */
  private autoUnpaused(): void {
    if (this.facts.mode === 'debugger' || !this.facts.muted || !this.facts.autoUnpause) return;
    this.facts = { ...this.facts, muted: false };
    this.addNotice(
      "HyperDbg's auto-unpause resumed kernel messages when the event was applied (docs/hyperdbg-v0.23.md §2.7)",
    );
  }

  /** Ctrl+C to the CLI. */
  interrupt(): SessionState {
    const run = this.run;
    if (run === null) throw new AppError('session', 'no CLI is running');
    if (!run.commandSent)
      throw new AppError(
        'session',
        'before its first command, Ctrl+C ends hyperdbg-cli (docs/hyperdbg-v0.23.md §1.3): wait until it is connected',
      );
    run.pty.interrupt();
    return this.getState();
  }

  /** Debugger Mode: halts the debuggee (Ctrl+C, spec §2.7). */
  pause(): Promise<SessionState> {
    return this.exclusive(async () => {
      const run = this.requireReady();
      this.requireDebuggerMode('pause');
      if (this.facts.debuggee !== 'running') return this.getState();
      await this.pauseInternal(run);
      if (this.canList()) await this.refreshInternal(run).catch(() => undefined);
      return this.getState();
    });
  }

  /** Debugger Mode: lets the debuggee run (`g`, which blocks the CLI, spec §1.8). */
  continue(): Promise<SessionState> {
    return this.exclusive(async () => {
      const run = this.requireReady();
      this.requireDebuggerMode('continue');
      if (this.facts.debuggee === 'running') return this.getState();
      await this.continueInternal(run);
      return this.getState();
    });
  }

  private requireDebuggerMode(what: string): void {
    if (this.facts.mode === 'debugger') return;
    throw new AppError(
      'session',
      this.facts.mode === 'vmi'
        ? `${what} is for Debugger Mode. In VMI mode HyperDbg's 'pause' makes it discard kernel messages (docs/hyperdbg-v0.23.md §2.7): use mute if that is what you want`
        : `${what} needs a Debugger-Mode connection (serial or named pipe)`,
    );
  }

  private async pauseInternal(run: Run): Promise<void> {
    run.pty.interrupt();
    await this.waitFor(
      (f, item) => f.debuggee === 'paused' && item?.type === 'prompt',
      this.timeouts.pauseMs,
      'kernel prompt after Ctrl+C (the debuggee did not pause)',
    );
  }

  private async continueInternal(run: Run): Promise<void> {
    const outcome = await this.send(run, { line: 'g', completion: 'blocking' });
    if (outcome.endedBy !== 'running')
      throw new AppError(
        'session',
        `the debuggee did not continue: ${outcome.result.errors[0]?.text ?? outcome.result.lines.join(' ').trim()}`,
      );
  }

  /** VMI: `pause` (HyperDbg then discards kernel messages) or `g` (spec §2.7). */
  mute(muted: boolean): Promise<SessionState> {
    return this.exclusive(async () => {
      const run = this.requireReady();
      if (this.facts.mode === 'debugger')
        throw new AppError(
          'session',
          'mute is for VMI mode; in Debugger Mode pause and continue the debuggee',
        );
      if (this.facts.muted === muted) return this.getState();
      const outcome = await this.send(run, { line: muted ? 'pause' : 'g' });
      if (muted && !outcome.items.some((i) => i.type === 'status' && i.code === 'pausing'))
        throw new AppError(
          'session',
          `'pause' was not acknowledged: ${outcome.result.lines.join(' ').trim()}`,
        );
      this.facts = { ...this.facts, muted };
      this.changed();
      return this.getState();
    });
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
  applyEvent(binding: EventBinding, source?: EventSource): Promise<EventInfo> {
    return this.events.apply(binding, source);
  }

  /** `events e|d|c <id|all>` (spec §4). */
  setEventState(id: string, op: 'enable' | 'disable' | 'clear'): Promise<EventInfo[]> {
    return this.events.setState(id, op);
  }

  private refreshInternal(run: Run): Promise<void> {
    return this.events.refreshWith(run);
  }

  private async withDebuggeeHalted<T>(run: Run, fn: () => Promise<T>): Promise<T> {
    if (!this.debuggeeRunning()) return fn();
    await this.pauseInternal(run);
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      await this.continueInternal(run).catch((c: unknown) =>
        this.addNotice(`the debuggee stays paused: ${c instanceof Error ? c.message : String(c)}`),
      );
      throw e;
    }
    try {
      await this.continueInternal(run);
    } catch (c) {
      this.addNotice(`the debuggee stays paused: ${c instanceof Error ? c.message : String(c)}`);
    }
    return result;
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

function describeExitState(exit: NonNullable<SessionState['exit']>): string {
  return exit.signal !== null ? `killed by ${signalName(exit.signal)}` : `exit code ${exit.code}`;
}
