// The connect sequence of a freshly spawned CLI (spec §2): wait for its first prompt, read its
// capability from the banner, run the profile's connect steps, and turn each way of failing into
// one clear message. Reaches the CLI and the session state through a narrow port. Host side.
import { AppError } from '../../../shared/contract/result';
import type { SessionCapability, SessionStatus } from '../../../shared/contract/session';
import type { TargetCapability } from '../../../shared/model/actionTarget';
import { capabilityNotices, detectCapability } from './capability';
import type { CliFacts } from './cliFacts';
import type { CommandOutcome, CommandRequest } from './commandQueue';
import { explainStepFailure, type ConnectStep } from './launchPlan';
import { describeExitState, type FactsTest, type SessionExit } from './runSupervisor';
import type { SessionTimeouts } from './sessionTimeouts';

/**
 * How many of the first and last output lines are quoted when the CLI dies before its first
 * prompt: an error comes first, a usage text after it.
 */
const STARTUP_QUOTED_HEAD = 3;
const STARTUP_QUOTED_TAIL = 2;

/** What the sequence reads of the CLI process it connects. */
export interface ConnectingRun {
  /** Disconnected by the user while connecting. */
  readonly cancelled: boolean;
  readonly endedAt: number | null;
  readonly exited: Promise<unknown>;
  /** Output lines printed while starting. */
  readonly recentLines: readonly string[];
}

/** What is being connected: which program, the profile's capability, the steps of spec §2. */
export interface ConnectTarget {
  readonly isSimulator: boolean;
  readonly capability: TargetCapability;
  readonly steps: readonly ConnectStep[];
}

/** What the connect sequence needs from the session; `R` is its running-CLI handle. */
export interface ConnectPort<R extends ConnectingRun> {
  readonly timeouts: Pick<SessionTimeouts, 'startupMs' | 'loadMs' | 'debuggeeConnectMs'>;
  waitFor(test: FactsTest, timeoutMs: number, what: string): Promise<void>;
  send(run: R, req: CommandRequest): Promise<CommandOutcome>;
  /** Ends the CLI (exit, then kill); resolves once it is gone. */
  stop(run: R): Promise<void>;
  facts(): CliFacts;
  /** How the last CLI process ended, once it has. */
  lastExit(): SessionExit | null;
  setStatus(status: SessionStatus): void;
  setError(message: string | null): void;
  setCapability(capability: SessionCapability): void;
  addNotice(text: string): void;
  /** Publishes the session state (coalesced). */
  changed(): void;
  /** Whether `events` can be read now. */
  canList(): boolean;
  /** Reads `events` into the registry. */
  refreshEvents(run: R): Promise<void>;
  /**
   * The connect steps worked: what must be in place before the session takes commands (the
   * record channel). Never throws.
   */
  beforeReady?(run: R): Promise<void>;
}

export class ConnectSequence<R extends ConnectingRun> {
  constructor(private readonly port: ConnectPort<R>) {}

  /**
   * Drives `run` from spawned to ready. Throws an AppError ('session', or 'cancelled' when the
   * user disconnected meanwhile) after stopping the CLI and leaving the session disconnected.
   */
  async run(run: R, target: ConnectTarget): Promise<void> {
    const port = this.port;
    const t = port.timeouts;
    try {
      await port.waitFor(
        (_f, item) => item?.type === 'prompt' && item.mode !== 'continuation',
        t.startupMs,
        'the first prompt',
      );
    } catch {
      if (run.cancelled) return this.cancelled(run);
      if (run.endedAt !== null) await run.exited;
      const error = this.startupFailure(run, target, t.startupMs);
      port.setError(error);
      if (run.endedAt === null) await port.stop(run);
      port.setStatus('disconnected');
      port.changed();
      throw new AppError('session', error);
    }

    const facts = port.facts();
    const capability = detectCapability(facts.banner, facts.bannerIsSimulator, target.capability);
    port.setCapability(capability);
    for (const n of capabilityNotices(capability)) port.addNotice(n);
    port.setStatus('connecting');
    for (const step of target.steps) {
      const blocking = step.completion === 'blocking';
      const timeoutMs = blocking ? t.debuggeeConnectMs : t.loadMs;
      let outcome: CommandOutcome;
      try {
        outcome = await port.send(run, { line: step.line, completion: step.completion, timeoutMs });
      } catch (e) {
        const msg =
          e instanceof AppError && e.code === 'timeout'
            ? `${step.what}: no answer within ${timeoutMs} ms${blocking ? ' (is the debuggee VM running and waiting on this link?)' : ''}`
            : `${step.what} failed: ${e instanceof Error ? e.message : String(e)}`;
        return this.failed(run, msg);
      }
      const ok = outcome.items.some(
        (i) => (i.type === 'status' || i.type === 'error') && step.success.includes(i.code),
      );
      if (!ok)
        return this.failed(
          run,
          explainStepFailure(step, outcome.result.errors, outcome.result.lines),
        );
    }
    await port.beforeReady?.(run);
    if (run.cancelled) return this.cancelled(run);
    port.setStatus('ready');
    port.changed();
    if (port.canList()) await port.refreshEvents(run).catch(() => undefined);
  }

  /** Why the CLI gave no first prompt, quoting the head and tail of what it printed. */
  private startupFailure(run: R, target: ConnectTarget, startupMs: number): string {
    const lines = run.recentLines;
    const quoted = (
      lines.length <= STARTUP_QUOTED_HEAD + STARTUP_QUOTED_TAIL
        ? lines
        : [...lines.slice(0, STARTUP_QUOTED_HEAD), '...', ...lines.slice(-STARTUP_QUOTED_TAIL)]
    )
      .map((l) => l.trim())
      .join(' | ');
    const who = target.isSimulator ? 'the simulator' : 'hyperdbg-cli';
    const exit = this.port.lastExit();
    const why =
      exit !== null && run.endedAt !== null
        ? `${who} ended before its first prompt (${describeExitState(exit)})`
        : `${who} printed no prompt within ${startupMs} ms`;
    return `${why}${quoted.length > 0 ? `: ${quoted}` : ''}`;
  }

  private async failed(run: R, message: string): Promise<never> {
    if (run.cancelled) return this.cancelled(run);
    const port = this.port;
    port.setError(message);
    port.changed();
    await port.stop(run);
    // Set again: a CLI that ended on its own meanwhile may have reported itself lost in its words.
    port.setError(message);
    port.setStatus('disconnected');
    port.changed();
    throw new AppError('session', message);
  }

  /** The user disconnected while connecting: no error, just the end of it. */
  private async cancelled(run: R): Promise<never> {
    const port = this.port;
    await port.stop(run);
    port.setError(null);
    port.setStatus('disconnected');
    port.changed();
    throw new AppError('cancelled', 'the connection was cancelled (disconnect while connecting)');
  }
}
