// Supervises the one CLI process of a session: spawns it through the pty host, wires its output
// to the parser, the transcript, the console and the log's RecordSink, follows its facts, notices
// its end and stops it (exit, then kill). Each start is a new generation. Host side.
import { constants as osConstants } from 'node:os';
import { AppError } from '../../../shared/contract/result';
import type { SessionState } from '../../../shared/contract/session';
import type { ParserItem, ParserStats } from '../../../shared/hyperdbg/items';
import { createOutputParser, type OutputParser } from '../../../shared/hyperdbg/outputParser';
import type { ProfileDraft } from '../../../shared/model/actionTarget';
import type { RecordSink } from '../log/sink';
import type { PtyExit, PtyProcess, SpawnOptions } from '../pty/ptyHost';
import { INITIAL_FACTS, reduceFacts, type CliFacts } from './cliFacts';
import { CommandQueue, ENTER } from './commandQueue';
import type { LaunchPlan } from './launchPlan';
import { RecordForwarder, type ForwarderCounts } from './recordForwarder';
import type { SessionTimeouts } from './sessionTimeouts';
import { outputNotices } from './outputNotices';
import { Transcript } from './transcript';

/** After `kill`, how long the pty host may take to report the exit (ms). */
const KILL_WAIT_MS = 3_000;
/** Output lines kept while starting, for the message of a CLI that dies before its first prompt. */
const STARTUP_KEPT_LINES = 200;

/** How a CLI process ended, as the session state reports it. */
export type SessionExit = NonNullable<SessionState['exit']>;

/** A test on the CLI's facts and the item that just arrived (null: asked before any item). */
export type FactsTest = (facts: CliFacts, item: ParserItem | null) => boolean;

/** One CLI process and everything wired to it. */
export interface Run {
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
  /** It will never read input again (its debuggee stopped answering): stopping kills it. */
  unresponsive: boolean;
  /** Recent output lines, for a start-up failure's message. */
  readonly recentLines: string[];
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

/** What the supervisor needs from the session around it. */
export interface SupervisorPort {
  readonly sink: RecordSink;
  readonly spawn: (opts: SpawnOptions) => PtyProcess;
  /** Where session transcripts are written; null writes none. */
  readonly transcriptDir: string | null;
  readonly timeouts: Pick<SessionTimeouts, 'pauseMs' | 'exitMs'>;
  /** Every byte the CLI prints, for the console. */
  consoleBytes(chunk: Uint8Array): void;
  /** The CLI's output has ended (flushes a split UTF-8 sequence). */
  consoleEnded(): void;
  /** The session is starting: output lines are kept to explain a start-up failure. */
  isStarting(): boolean;
  /** The session is connected and taking commands (console commands explain themselves then). */
  isReady(): boolean;
  addNotice(text: string): void;
  /** The current run's command queue holds `count` commands. */
  queuedChanged(count: number): void;
  /** The CLI's output changed its facts (mode, debuggee, events reset, ...). */
  factsChanged(before: CliFacts, after: CliFacts): void;
  /** A stop of the current run has begun. */
  stopping(): void;
  /** The current run ended; `lost` explains an exit nobody asked for, null for an expected one. */
  ended(exit: SessionExit, lost: string | null): void;
  /**
   * The run's output has ended: records still on their way by another path (a forwarding sink)
   * are handed to its forwarder before the log hears of the end.
   */
  draining?(run: Run): Promise<void>;
}

interface Waiter {
  readonly test: FactsTest;
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

export function describeExitState(exit: SessionExit): string {
  return exit.signal !== null ? `killed by ${signalName(exit.signal)}` : `exit code ${exit.code}`;
}

/** How the session names its CLI in messages. */
export function cliName(run: Pick<Run, 'plan'>): string {
  return run.plan.isSimulator ? 'the simulator' : 'hyperdbg-cli';
}

export class RunSupervisor {
  private run: Run | null = null;
  private lastRun: Run | null = null;
  private generationNumber = 0;
  private cliFacts: CliFacts = INITIAL_FACTS;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly port: SupervisorPort) {}

  /** The running CLI process, if any. */
  get current(): Run | null {
    return this.run;
  }

  get generation(): number {
    return this.generationNumber;
  }

  /** What the CLI's output says about its state (spec §1.4, §2). */
  get facts(): CliFacts {
    return this.cliFacts;
  }

  /**
   * Corrects the facts where the CLI prints nothing to learn from (VMI `g` and `pause`, spec
   * §2.7). The caller publishes the change.
   */
  amendFacts(patch: Partial<CliFacts>): void {
    this.cliFacts = { ...this.cliFacts, ...patch };
  }

  /** Starts a new generation: a new CLI process whose facts start over. Returns its number. */
  beginGeneration(): number {
    this.generationNumber++;
    this.cliFacts = INITIAL_FACTS;
    return this.generationNumber;
  }

  /** Spawns the plan's program and wires it up; throws what the pty host throws. */
  spawn(plan: LaunchPlan, profile: ProfileDraft): Run {
    const pty = this.port.spawn({
      file: plan.file,
      args: plan.args,
      ...(plan.cwd !== undefined ? { cwd: plan.cwd } : {}),
      env: plan.env,
    });
    return this.attach(pty, plan, profile);
  }

  /** Counters of the current (or last) CLI process. */
  stats(): RunStats | null {
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

  /**
   * A second transcript of `run` for another of its streams (a forwarding sink's bytes), beside
   * its own; null when transcripts are off or the file cannot be opened (said in a notice).
   */
  sideTranscript(run: Run, label: string): Transcript | null {
    if (this.port.transcriptDir === null) return null;
    try {
      return Transcript.open(
        this.port.transcriptDir,
        run.generation,
        new Date(run.startedAt),
        label,
      );
    } catch (e) {
      this.port.addNotice(
        `the ${label} transcript cannot be written (${e instanceof Error ? e.message : String(e)}); the log still gets every record`,
      );
      return null;
    }
  }

  /** The transcript of the current (or last) CLI process. */
  transcriptPath(): string | null {
    return (this.run ?? this.lastRun)?.transcript?.path ?? null;
  }

  /** Resolves when the current CLI process has ended (at once when there is none). */
  async whenExited(): Promise<void> {
    const r = this.run;
    if (r !== null) await r.exited;
  }

  /** Resolves when `test` holds for the CLI's facts; rejects on timeout or when the CLI ends. */
  waitFor(test: FactsTest, timeoutMs: number, what: string): Promise<void> {
    if (test(this.cliFacts, null)) return Promise.resolve();
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

  /** Asks the CLI to exit; kills it when it does not. Resolves once it is gone. */
  async stop(run: Run): Promise<void> {
    if (run.endedAt !== null) return;
    run.expectedExit = true;
    this.port.stopping();
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
    const facts = this.cliFacts;
    // Blocked in `.debug remote ...` waiting for a debuggee (spec §2.3: no timeout, Ctrl+C does
    // not abort it), the CLI would never read `exit`.
    const waitingForDebuggee = run.queue.blockedInCommand && facts.mode !== 'debugger';
    if (run.commandSent && !waitingForDebuggee && !run.unresponsive) {
      if (facts.mode === 'debugger' && facts.debuggee === 'running') {
        // The CLI reads nothing while the debuggee runs (spec §1.8): pause it first.
        run.pty.interrupt();
        await this.waitFor(
          (f) => f.debuggee !== 'running',
          this.port.timeouts.pauseMs,
          'the debuggee to pause',
        ).catch(() => undefined);
      }
      // `exit` unloads the vmm in VMI mode and closes a Debugger-Mode link first (spec §2.8).
      run.pty.write(`exit${ENTER}`);
      if (await wait(this.port.timeouts.exitMs)) return;
    }
    run.pty.kill();
    if (await wait(KILL_WAIT_MS)) return;
    // The pty host never reported the end: finish the run ourselves so nothing waits forever.
    await this.onExit(run, { exitCode: -1, signal: undefined });
  }

  /** Wires a spawned pty to the parser, the queue, the sink, the transcript and the console. */
  private attach(pty: PtyProcess, plan: LaunchPlan, profile: ProfileDraft): Run {
    const generation = this.generationNumber;
    const startedAt = Date.now();
    let transcript: Transcript | null = null;
    if (this.port.transcriptDir !== null) {
      try {
        transcript = Transcript.open(this.port.transcriptDir, generation, new Date(startedAt));
      } catch (e) {
        this.port.addNotice(
          `the session transcript cannot be written (${e instanceof Error ? e.message : String(e)}); the console and the log still get everything`,
        );
      }
    }
    let resolveExit: (e: PtyExit) => void = () => undefined;
    const exited = new Promise<PtyExit>((r) => (resolveExit = r));
    const parser = createOutputParser(
      plan.wrapWidth !== undefined ? { wrapWidth: plan.wrapWidth } : {},
    );
    const sink = this.port.sink;
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
        canSend: () => !(this.cliFacts.mode === 'debugger' && this.cliFacts.debuggee === 'running'),
        now: () => Date.now(),
        onCountChange: (n) => {
          if (this.run === run) this.port.queuedChanged(n);
        },
      }),
      forwarder: new RecordForwarder(sink, generation, (e) =>
        this.port.addNotice(
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
      unresponsive: false,
      recentLines: [],
    };
    this.run = run;
    this.lastRun = run;
    try {
      sink.sessionStarted({
        generation,
        at: startedAt,
        targetLabel: plan.targetLabel,
        ...(transcript !== null ? { transcript: transcript.path } : {}),
      });
    } catch (e) {
      run.forwarder.counts.sinkErrors++;
      this.port.addNotice(`the record log refused the session start (${String(e)})`);
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
    this.port.consoleBytes(chunk);
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
      else if (item.type === 'text') run.forwarder.text(item.text, now);
      if (this.port.isStarting() && item.type !== 'prompt' && item.type !== 'echo') {
        const text = 'text' in item ? item.text : '';
        if (text.trim().length > 0) {
          run.recentLines.push(text);
          if (run.recentLines.length > STARTUP_KEPT_LINES) run.recentLines.pop();
        }
      }
      const before = this.cliFacts;
      const after = reduceFacts(before, item);
      if (after !== before) {
        this.cliFacts = after;
        this.port.factsChanged(before, after);
        // A command held back while the debuggee ran may go now (spec §1.8).
        if (after.debuggee !== before.debuggee || after.mode !== before.mode) run.queue.pump();
      }
      for (const n of outputNotices(item, this.cliFacts, this.port.isReady()))
        this.port.addNotice(n);
      run.queue.onItem(item);
      this.checkWaiters(item);
    }
  }

  private checkWaiters(item: ParserItem): void {
    if (this.waiters.size === 0) return;
    for (const w of [...this.waiters]) {
      if (!w.test(this.cliFacts, item)) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve();
    }
  }

  private async onExit(run: Run, exit: PtyExit): Promise<void> {
    if (run.endedAt !== null) return;
    const tail = run.parser.end();
    if (tail.length > 0) this.onItems(run, tail);
    this.port.consoleEnded();
    run.endedAt = Date.now();
    await this.port.draining?.(run);
    run.forwarder.flush();
    const how = describeExit(exit);
    const who = cliName(run);
    run.queue.close(new AppError('session', `${who} ended (${how}) before answering`));
    for (const w of [...this.waiters]) {
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.reject(new AppError('session', `${who} ended (${how})`));
    }
    await run.transcript?.close();
    if (run.transcript?.failure != null)
      this.port.addNotice(`the session transcript stopped: ${run.transcript.failure.message}`);
    const reason = run.expectedExit ? `ended by the user (${how})` : `ended unexpectedly (${how})`;
    try {
      this.port.sink.sessionEnded({
        generation: run.generation,
        at: run.endedAt,
        targetLabel: run.plan.targetLabel,
        reason,
      });
    } catch (e) {
      run.forwarder.counts.sinkErrors++;
      this.port.addNotice(`the record log refused the session end (${String(e)})`);
    }
    if (this.run !== run) return;
    this.run = null;
    const lost = run.expectedExit
      ? null
      : `${who} ${reason}; everything it printed is kept (${run.forwarder.counts.records} records${run.transcript !== null ? `, transcript ${run.transcript.path}` : ''}). Restart to start it again.`;
    this.port.ended({ code: exit.exitCode, signal: exit.signal ?? null, at: run.endedAt }, lost);
  }
}
