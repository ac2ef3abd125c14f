// hyperdbg-cli's main loop (spec §1.2-§1.8): banner, prompt, `{`/`"` continuation with "> ",
// repeat-on-Enter, "\n" after each local command, Ctrl+C (handler plus the failed getline's
// "\n\n") and end of input. Simulator side.
import { MultilineTracker } from '../protocol/multiline';
import { BREAK_HANDLER_SLEEP_MS, ExitRequest } from './commands';
import type { Interpreter } from './interpreter';
import { MSG } from './messages';
import type { Session } from './session';

/** CompleteVersion plus the simulator's marker (buffer-records.md §1). */
export const SIM_VERSION = 'v0.23.0-sim';
export const STOCK_VERSION = 'v0.23.0';
/** BuildVersion ("YYYYMMDD.HHMM" from __DATE__/__TIME__), fixed so transcripts repeat. */
export const BUILD_VERSION = '20260803.1412';

type InputEvent = { kind: 'line'; text: string } | { kind: 'interrupt' } | { kind: 'end' };

export class Repl {
  private readonly queue: InputEvent[] = [];
  private waiter: ((e: InputEvent) => void) | null = null;
  private readonly multiline = new MultilineTracker();
  private previous = '';
  private busy = false;

  constructor(
    private readonly s: Session,
    private readonly interpreter: Interpreter,
    private readonly exit: (code: number) => Promise<void>,
  ) {}

  banner(stock: boolean): string {
    return (
      `HyperDbg Debugger [version: ${stock ? STOCK_VERSION : SIM_VERSION}, build: ${BUILD_VERSION}]\n` +
      'Please visit https://docs.hyperdbg.org for more information...\n' +
      'HyperDbg is released under the GNU Public License v3 (GPLv3).\n\n'
    );
  }

  line(text: string): void {
    this.push({ kind: 'line', text });
  }

  /**
   * Ctrl+C. Before the first command the default console handler ends the process (spec §1.3).
   * Afterwards BreakController runs (spec §2.7) and, if the CLI is waiting in getline, the read
   * fails, so the loop prints "\n\n" and a new prompt (spec §1.7, inferred there).
   */
  interrupt(): void {
    const s = this.s;
    if (!s.initialized) {
      void this.exit(130);
      return;
    }
    if (s.ignorePauseRequests) {
      // the connection is being set up: Ctrl+C is ignored (g_IgnorePauseRequests)
    } else if (s.link !== null) {
      s.pauseDebuggee();
    } else if (s.kdLoaded) {
      s.paused = true;
      setTimeout(() => {
        s.print(s.autoUnpause ? MSG.autoUnpausePause : MSG.noAutoUnpausePause);
        s.print(s.promptText());
      }, BREAK_HANDLER_SLEEP_MS);
    }
    if (!this.busy) this.push({ kind: 'interrupt' });
  }

  /** End of input: the CLI would print "\n\n" and a prompt forever (spec §1.7); once is enough. */
  end(): void {
    if (this.busy && this.s.debuggeeRunning) {
      // A command is blocked on a running debuggee and no Ctrl+C can come any more: stop here
      // rather than wait forever, so a finished test never leaves a process behind.
      void this.exit(0);
      return;
    }
    this.push({ kind: 'end' });
  }

  private push(e: InputEvent): void {
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      w(e);
    } else this.queue.push(e);
  }

  private next(): Promise<InputEvent> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  async run(): Promise<void> {
    const s = this.s;
    s.printf(this.banner(s.options.stock));
    for (;;) {
      s.print(s.promptText());
      let command = '';
      let reset = true;
      let aborted = false;
      for (;;) {
        const ev = await this.next();
        if (ev.kind === 'end') {
          s.printf('\n\n');
          s.print(s.promptText());
          await this.exit(0);
          return;
        }
        if (ev.kind === 'interrupt') {
          s.printf('\n\n');
          aborted = true;
          break;
        }
        if (this.multiline.feed(ev.text, reset)) {
          reset = false;
          command += `${ev.text}\n`;
          s.printf('> ');
          continue;
        }
        command += ev.text;
        break;
      }
      if (aborted) continue;
      // ContinuePreviousCommand: a blank line repeats g, p, t, ... once (spec §1.3 step 5).
      if (command === '' && s.repeatOnEnter) {
        s.repeatOnEnter = false;
        command = this.previous;
      } else this.previous = command;
      this.busy = true;
      let result: number;
      try {
        result = await this.interpreter.run(command);
      } catch (e) {
        if (e instanceof ExitRequest) {
          await this.exit(e.code);
          return;
        }
        // A simulator bug must not end the session the way it would end hyperdbg-cli: report it
        // in a line no real CLI prints, and keep reading commands.
        s.print(`err, simulator internal error: ${e instanceof Error ? e.message : String(e)}\n`);
        result = 0;
      } finally {
        this.busy = false;
      }
      if (result !== 2) s.printf('\n');
    }
  }
}
