// Run control of a connected CLI: console commands (blocking `g` and `.debug remote`, event
// commands typed by hand), Ctrl+C, Debugger Mode's pause and continue, VMI's mute (spec §1.8,
// §2.7), over a narrow port into the session that owns the CLI process. Host side.
import { AppError } from '../../../shared/contract/result';
import type {
  CommandResult,
  SessionCapability,
  SessionState,
} from '../../../shared/contract/session';
import type { CliFacts } from './cliFacts';
import { completionFor } from './blockingCommands';
import { checkCommandLine, cliTokens } from './commandLine';
import type { CommandOutcome, CommandRequest } from './commandQueue';
import type { EventRegistry } from './eventRegistry';
import { tokensRunCustomCode } from '../../../shared/hyperdbg/nxRisk';
import { eventKindOfLine } from './idConsumption';
import { requireNxConfirmation } from './nxCrash';
import type { FactsTest } from './runSupervisor';

/** What run control needs from the session; `R` is its running-CLI handle. */
export interface ControlPort<R> {
  readonly registry: EventRegistry;
  /** Ctrl+C to the kernel prompt of a paused debuggee (spec §2.7). */
  readonly pauseMs: number;
  /** The running CLI, connected or not. */
  current(): R | null;
  /** The running CLI, or an AppError saying why commands cannot be sent now. */
  requireReady(): R;
  /** One compound operation at a time. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  send(run: R, req: CommandRequest): Promise<CommandOutcome>;
  /** Ctrl+C to the CLI. */
  interrupt(run: R): void;
  /** A command has reached this CLI: Ctrl+C no longer ends it (spec §1.3). */
  commandSent(run: R): boolean;
  facts(): CliFacts;
  /** Corrects facts the CLI prints nothing about; does not publish. */
  amendFacts(patch: Partial<CliFacts>): void;
  waitFor(test: FactsTest, timeoutMs: number, what: string): Promise<void>;
  capability(): SessionCapability | null;
  disconnect(): Promise<unknown>;
  state(): SessionState;
  addNotice(text: string): void;
  /** Publishes the session state (coalesced). */
  changed(): void;
  eventsChanged(): void;
  /** Reads `events` into the registry. */
  refreshEvents(run: R): Promise<void>;
  /**
   * A Debugger-Mode debuggee did not pause on Ctrl+C: the session's explanation when there is a
   * likely cause (it then marks the session lost), or null.
   */
  debuggeeUnanswered?(): string | null;
}

/** Debugger Mode with the debuggee running: the CLI reads no input (spec §1.8). */
export function debuggeeRunning(facts: CliFacts): boolean {
  return facts.mode === 'debugger' && facts.debuggee === 'running';
}

/** Commands after which the `events` listing is read again. */
function mayChangeEvents(line: string): boolean {
  const tokens = cliTokens(line);
  const first = tokens[0]?.toLowerCase() ?? '';
  if (eventKindOfLine(line) !== null) return true;
  if (first === 'events') return tokens.length > 1;
  return ['unload', '.debug', '.connect', '.disconnect', 'load'].includes(first);
}

export class RunControl<R> {
  constructor(private readonly port: ControlPort<R>) {}

  /**
   * Sends one console line through the queue and returns its output. An event command with
   * custom or condition code on a target that probably runs it from NX memory needs
   * `acceptNxCrash` (spec §5.6).
   */
  async command(line: string, timeoutMs?: number, acceptNxCrash = false): Promise<CommandResult> {
    const port = this.port;
    const check = checkCommandLine(line);
    if (!check.ok) throw new AppError('invalid-input', `the command ${check.error}`, 'line');
    const tokens = cliTokens(line);
    const first = tokens[0]?.toLowerCase() ?? '';
    if (eventKindOfLine(line) !== null)
      requireNxConfirmation(
        tokensRunCustomCode(tokens),
        port.capability(),
        port.facts().mode === 'debugger' ? 'debugger' : 'vmi',
        acceptNxCrash,
      );
    if (first === 'exit') {
      const t0 = Date.now();
      port.requireReady();
      await port.disconnect();
      return { command: line, lines: [], errors: [], durationMs: Date.now() - t0 };
    }
    return port.exclusive(async () => {
      const run = port.requireReady();
      if (debuggeeRunning(port.facts()))
        throw new AppError(
          'session',
          'the debuggee is running: hyperdbg-cli reads no input until it pauses (docs/hyperdbg-v0.23.md §1.8); pause it first',
        );
      const debuggerMode = port.facts().mode === 'debugger';
      const plan = completionFor(line, port.facts().mode);
      const outcome = await port.send(run, {
        line,
        ...plan,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
      if (!debuggerMode && first === 'g' && port.facts().muted) {
        // VMI `g` prints nothing; it only turns kernel messages back on (spec §2.7).
        port.amendFacts({ muted: false });
        port.changed();
      }
      if (eventKindOfLine(line) !== null) {
        const codes = outcome.result.errors.map((e) => e.code);
        const lower = line.toLowerCase();
        const verdict = port.registry.noteEventCommand(line, codes, {
          foreign: true,
          printsRecords:
            / script[ {]/.test(lower) ||
            (/ code[ {]/.test(lower) &&
              / buffer /.test(lower) &&
              port.capability()?.returnsBuffers === true),
          at: Date.now(),
        });
        if (verdict.created) this.autoUnpaused();
        port.eventsChanged();
      }
      if (mayChangeEvents(line) && !debuggeeRunning(port.facts()) && port.current() === run)
        await port.refreshEvents(run).catch(() => undefined);
      return outcome.result;
    });
  }

  /** A VMI event command succeeded: HyperDbg's auto-unpause ended a pause (spec §2.7). */
  autoUnpaused(): void {
    const f = this.port.facts();
    if (f.mode === 'debugger' || !f.muted || !f.autoUnpause) return;
    this.port.amendFacts({ muted: false });
    this.port.addNotice(
      "HyperDbg's auto-unpause resumed kernel messages when the event was applied (docs/hyperdbg-v0.23.md §2.7)",
    );
  }

  /** Ctrl+C to the CLI. */
  interrupt(): SessionState {
    const run = this.port.current();
    if (run === null) throw new AppError('session', 'no CLI is running');
    if (!this.port.commandSent(run))
      throw new AppError(
        'session',
        'before its first command, Ctrl+C ends hyperdbg-cli (docs/hyperdbg-v0.23.md §1.3): wait until it is connected',
      );
    this.port.interrupt(run);
    return this.port.state();
  }

  /** Debugger Mode: halts the debuggee (Ctrl+C, spec §2.7). */
  pause(): Promise<SessionState> {
    const port = this.port;
    return port.exclusive(async () => {
      const run = port.requireReady();
      this.requireDebuggerMode('pause');
      if (port.facts().debuggee !== 'running') return port.state();
      await this.pauseWith(run);
      if (!debuggeeRunning(port.facts())) await port.refreshEvents(run).catch(() => undefined);
      return port.state();
    });
  }

  /** Debugger Mode: lets the debuggee run (`g`, which blocks the CLI, spec §1.8). */
  continue(): Promise<SessionState> {
    const port = this.port;
    return port.exclusive(async () => {
      const run = port.requireReady();
      this.requireDebuggerMode('continue');
      if (port.facts().debuggee === 'running') return port.state();
      await this.continueWith(run);
      return port.state();
    });
  }

  /** VMI: `pause` (HyperDbg then discards kernel messages) or `g` (spec §2.7). */
  mute(muted: boolean): Promise<SessionState> {
    const port = this.port;
    return port.exclusive(async () => {
      const run = port.requireReady();
      if (port.facts().mode === 'debugger')
        throw new AppError(
          'session',
          'mute is for VMI mode; in Debugger Mode pause and continue the debuggee',
        );
      if (port.facts().muted === muted) return port.state();
      const outcome = await port.send(run, { line: muted ? 'pause' : 'g' });
      if (muted && !outcome.items.some((i) => i.type === 'status' && i.code === 'pausing'))
        throw new AppError(
          'session',
          `'pause' was not acknowledged: ${outcome.result.lines.join(' ').trim()}`,
        );
      port.amendFacts({ muted });
      port.changed();
      return port.state();
    });
  }

  /**
   * Runs `fn` with a Debugger-Mode debuggee halted: pause, fn, continue (spec §1.8). A debuggee
   * that will not continue stays paused, with a notice; `fn`'s own error wins.
   */
  async withDebuggeeHalted<T>(run: R, fn: () => Promise<T>): Promise<T> {
    if (!debuggeeRunning(this.port.facts())) return fn();
    await this.pauseWith(run);
    const stayedPaused = (c: unknown) =>
      this.port.addNotice(
        `the debuggee stays paused: ${c instanceof Error ? c.message : String(c)}`,
      );
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      await this.continueWith(run).catch(stayedPaused);
      throw e;
    }
    try {
      await this.continueWith(run);
    } catch (c) {
      stayedPaused(c);
    }
    return result;
  }

  private requireDebuggerMode(what: string): void {
    const mode = this.port.facts().mode;
    if (mode === 'debugger') return;
    throw new AppError(
      'session',
      mode === 'vmi'
        ? `${what} is for Debugger Mode. In VMI mode HyperDbg's 'pause' makes it discard kernel messages (docs/hyperdbg-v0.23.md §2.7): use mute if that is what you want`
        : `${what} needs a Debugger-Mode connection (serial or named pipe)`,
    );
  }

  private async pauseWith(run: R): Promise<void> {
    this.port.interrupt(run);
    try {
      await this.port.waitFor(
        (f, item) => f.debuggee === 'paused' && item?.type === 'prompt',
        this.port.pauseMs,
        'kernel prompt after Ctrl+C (the debuggee did not pause)',
      );
    } catch (e) {
      const cause =
        e instanceof AppError && e.code === 'timeout'
          ? (this.port.debuggeeUnanswered?.() ?? null)
          : null;
      if (cause !== null) throw new AppError('session', cause);
      throw e;
    }
  }

  private async continueWith(run: R): Promise<void> {
    const outcome = await this.port.send(run, { line: 'g', completion: 'blocking' });
    if (outcome.endedBy !== 'running')
      throw new AppError(
        'session',
        `the debuggee did not continue: ${outcome.result.errors[0]?.text ?? outcome.result.lines.join(' ').trim()}`,
      );
  }
}
