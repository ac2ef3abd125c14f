// The session's event operations: list, re-read the CLI's `events` listing, preview, apply a
// binding (pause-apply-continue in Debugger Mode) and enable/disable/clear, over a narrow port
// into the session service that owns the CLI process. Host side.
import { AppError } from '../../../shared/contract/result';
import type { EventInfo, EventSource, SessionCapability } from '../../../shared/contract/session';
import { eventsListingText } from '../../../shared/hyperdbg/cliLine';
import {
  buildFromBinding,
  type BuildResult,
  type BuiltCommand,
  type TargetMode,
} from '../../../shared/hyperdbg/commandBuilder';
import type { EventsRowItem } from '../../../shared/hyperdbg/items';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { runsCustomCode } from '../../../shared/hyperdbg/nxRisk';
import { bindingNotice, bindingPrintsRecords } from './capability';
import type { CommandOutcome, CommandRequest } from './commandQueue';
import { DEBUGGER_MODE_MAX_EVENTS, type EventRegistry } from './eventRegistry';
import { requireNxConfirmation } from './nxCrash';

/** What the event operations need from the session service; `R` is its running-CLI handle. */
export interface EventPort<R> {
  readonly registry: EventRegistry;
  /** The running CLI, or an AppError saying why commands cannot be sent now. */
  requireReady(): R;
  /** One compound operation at a time. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  send(run: R, req: CommandRequest): Promise<CommandOutcome>;
  targetMode(): TargetMode;
  capability(): SessionCapability | null;
  /** Debugger Mode: the CLI reads input only while the debuggee is halted (spec §1.8). */
  canList(): boolean;
  /** Runs `fn` with a Debugger-Mode debuggee halted (pause, fn, continue). */
  withDebuggeeHalted<T>(run: R, fn: () => Promise<T>): Promise<T>;
  isDebuggerMode(): boolean;
  addNotice(text: string): void;
  eventsChanged(): void;
  /** A VMI event command succeeded: HyperDbg's auto-unpause may have ended a mute. */
  autoUnpaused(): void;
  /** Sets up a record sink that is still pending; the CLI reads input now. */
  prepareRecords(run: R): Promise<void>;
  /** The binding as sent: with the app's record sink while records are forwarded (and a note
   * when it keeps the console). */
  routeRecords(binding: EventBinding): {
    readonly binding: EventBinding;
    readonly note: string | null;
  };
}

/** The user's answers to what an apply may ask. */
export interface ApplyOptions {
  /** Custom code on a target that probably runs it from NX memory was confirmed (spec §5.6). */
  readonly acceptNxCrash?: boolean;
  /**
   * The session reads this event's output on the console itself (the build probe's line): it is
   * sent as it is, without the app's record sink.
   */
  readonly keepConsole?: boolean;
}

/** Requested buffers up to this size come from the regular safe-buffer pool (one page). */
const REGULAR_SAFE_BUFFER_BYTES = 0x1000;

/**
 * The `prealloc` that gives a Debugger-Mode event's actions their buffers, or null when it asks
 * for none. Each action of the event (break, script, code) gets its own allocation of the
 * requested size (docs/hyperdbg-v0.23.md §3.5), and in Debugger Mode every one comes from a pool
 * that is empty until `prealloc` fills it; without it the kernel drops the action silently.
 */
export function safeBufferPrealloc(binding: EventBinding): string | null {
  const bytes = binding.buffer === undefined ? 0 : parseInt(binding.buffer.replace(/^0x/i, ''), 16);
  if (!(bytes > 0)) return null;
  const actions =
    (binding.code !== undefined ? 1 : 0) + (binding.script !== undefined ? 1 : 0) || 1;
  const pool = bytes <= REGULAR_SAFE_BUFFER_BYTES ? 'regular-safe-buffer' : 'big-safe-buffer';
  return `prealloc ${pool} ${actions.toString(16)}`;
}

/** Longest part of a refused command quoted back in the error. */
const QUOTED_COMMAND_CHARS = 120;

function builtOrThrow(built: BuildResult): BuiltCommand {
  if (built.ok) return built.value;
  const [first] = built.error;
  throw new AppError('invalid-input', `${first.field}: ${first.message}`, `binding.${first.field}`);
}

export class SessionEvents<R> {
  constructor(private readonly port: EventPort<R>) {}

  list(): EventInfo[] {
    return this.port.registry.list();
  }

  refresh(): Promise<EventInfo[]> {
    return this.port.exclusive(async () => {
      const run = this.port.requireReady();
      if (!this.port.canList())
        throw new AppError(
          'session',
          'the debuggee is running and hyperdbg-cli reads no input until it pauses (docs/hyperdbg-v0.23.md §1.8): pause to read the events',
        );
      await this.refreshWith(run);
      return this.port.registry.list();
    });
  }

  /** Reads `events` and reconciles the registry with the listing (spec §4). */
  async refreshWith(run: R): Promise<void> {
    const outcome = await this.port.send(run, { line: 'events' });
    const rows = outcome.items.filter((i): i is EventsRowItem => i.type === 'events-row');
    const empty = outcome.items.some((i) => i.type === 'status' && i.code === 'events-empty');
    if (rows.length > 0 || empty) {
      this.port.registry.applyListing(rows, Date.now());
      this.port.eventsChanged();
    }
  }

  preview(binding: EventBinding): { command: string; listed: string } {
    const mode = this.port.targetMode();
    builtOrThrow(buildFromBinding(binding, mode));
    const built = builtOrThrow(buildFromBinding(this.port.routeRecords(binding).binding, mode));
    return { command: built.line, listed: eventsListingText(built.line) };
  }

  /**
   * Registers a binding as a new event. In Debugger Mode while the debuggee runs: pause, apply,
   * continue, as one operation (spec §1.8, §2.7).
   */
  apply(
    binding: EventBinding,
    source?: EventSource,
    options: ApplyOptions = {},
  ): Promise<EventInfo> {
    const port = this.port;
    return port.exclusive(async () => {
      const run = port.requireReady();
      const mode = port.targetMode();
      // The binding as given is checked first, so its errors name its own fields.
      builtOrThrow(buildFromBinding(binding, mode));
      requireNxConfirmation(
        runsCustomCode(binding),
        port.capability(),
        mode,
        options.acceptNxCrash === true,
      );
      const used = port.registry.kernelSlots();
      if (mode === 'debugger' && used >= DEBUGGER_MODE_MAX_EVENTS)
        throw new AppError(
          'session',
          `Debugger Mode holds at most ${DEBUGGER_MODE_MAX_EVENTS} events without 'prealloc' (docs/hyperdbg-v0.23.md §11.1), and ${used} are in use: clear one first (a cleared event is freed when the debuggee continues)`,
        );
      const notice = bindingNotice(binding, port.capability());
      if (notice !== null) port.addNotice(notice);
      const created = await port.withDebuggeeHalted(run, async () => {
        // Debugger Mode sets its sink up here, with the debuggee halted (spec §1.8).
        await port.prepareRecords(run);
        const routed =
          options.keepConsole === true ? { binding, note: null } : port.routeRecords(binding);
        if (routed.note !== null) port.addNotice(routed.note);
        const built = builtOrThrow(buildFromBinding(routed.binding, mode));
        for (const w of built.warnings) port.addNotice(`${binding.kind}: ${w}`);
        if (mode === 'debugger') await this.reserveSafeBuffers(run, routed.binding);
        const outcome = await port.send(run, { line: built.line });
        const codes = outcome.result.errors.map((e) => e.code);
        const verdict = port.registry.noteEventCommand(built.line, codes, {
          binding: routed.binding,
          source: source ?? null,
          foreign: false,
          printsRecords: bindingPrintsRecords(binding, port.capability()),
          at: Date.now(),
        });
        if (verdict.created) port.autoUnpaused();
        port.eventsChanged();
        await this.refreshWith(run).catch(() => undefined);
        if (!verdict.created) {
          const said = outcome.result.errors.map((e) => e.text).join(' / ');
          const quoted =
            built.line.length > QUOTED_COMMAND_CHARS
              ? `${built.line.slice(0, QUOTED_COMMAND_CHARS)}...`
              : built.line;
          throw new AppError(
            'session',
            `hyperdbg-cli refused '${quoted}': ${said.length > 0 ? said : outcome.result.lines.join(' ').trim()}`,
          );
        }
        const info = port.registry.findByCommand(built.line);
        if (info === undefined)
          throw new AppError(
            'session',
            `the event was accepted but the events listing does not show it (expected '${eventsListingText(built.line)}')`,
          );
        return info;
      });
      return port.registry.get(parseInt(created.id, 16)) ?? created;
    });
  }

  /** Debugger Mode: fills the safe-buffer pool the event's actions take their buffers from. */
  private async reserveSafeBuffers(run: R, binding: EventBinding): Promise<void> {
    const line = safeBufferPrealloc(binding);
    if (line === null) return;
    const outcome = await this.port.send(run, { line });
    const reserved = outcome.items.some(
      (i) => i.type === 'status' && i.code === 'prealloc-reserved',
    );
    if (outcome.result.errors.length > 0 || !reserved)
      throw new AppError(
        'session',
        `'${line}' failed, so the event's buffer would be missing and HyperDbg would drop its actions without a word (docs/hyperdbg-v0.23.md §3.5): ${outcome.result.errors.map((e) => e.text).join(' / ') || outcome.result.lines.join(' ').trim() || 'no answer'}`,
      );
  }

  /** `events e|d|c <id|all>` (spec §4). */
  setState(id: string, op: 'enable' | 'disable' | 'clear'): Promise<EventInfo[]> {
    const port = this.port;
    return port.exclusive(async () => {
      const run = port.requireReady();
      const target: number | 'all' = id === 'all' ? 'all' : parseInt(id, 16);
      const line = `events ${op[0]} ${target === 'all' ? 'all' : target.toString(16)}`;
      const debuggerMode = port.isDebuggerMode();
      await port.withDebuggeeHalted(run, async () => {
        const outcome = await port.send(run, { line });
        if (outcome.result.errors.length > 0)
          throw new AppError(
            'session',
            `'${line}' failed: ${outcome.result.errors.map((e) => e.text).join(' / ')}`,
          );
        port.registry.noteStateChange(target, op, debuggerMode);
        port.eventsChanged();
        await this.refreshWith(run).catch(() => undefined);
      });
      // After the debuggee continued, Debugger Mode's pending clears are done (spec §4).
      return port.registry.list();
    });
  }
}
