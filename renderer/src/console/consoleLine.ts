// The console's command input, checked before anything is sent: one line, never blank (a blank
// line repeats `g`, spec §1.3), never one that makes the CLI wait for more lines (an unbalanced
// brace or quote, spec §1.3 step 4), no control characters. And the input's history. Pure.
import { cliWaitsForMore } from '../../../shared/hyperdbg/cliLine';
import { MAX_COMMAND_LINE_CHARS } from '../../../shared/hyperdbg/commandBuilder';
import { fail, ok, type Result } from '../../../shared/result';
import { describeRefused, findLineBreaker } from '../../../shared/text/controlChars';

/** The line as it may be sent, or why not in words. */
export type ConsoleLineCheck = Result<string, string>;

export function checkConsoleLine(line: string): ConsoleLineCheck {
  if (line.trim() === '')
    return fail(
      'Not sent: a blank line makes hyperdbg-cli repeat the previous command (g, p, t…; docs/hyperdbg-v0.23.md §1.3).',
    );
  if (line.length > MAX_COMMAND_LINE_CHARS)
    return fail(
      `Not sent: ${line.length} characters; one command is at most ${MAX_COMMAND_LINE_CHARS}.`,
    );
  const bad = findLineBreaker(line);
  if (bad >= 0) {
    const code = line.charCodeAt(bad);
    return fail(
      code === 0x0a || code === 0x0d
        ? 'Not sent: one command per line.'
        : `Not sent: it holds ${describeRefused(code)} at position ${bad + 1}; use Break for Ctrl+C.`,
    );
  }
  if (cliWaitsForMore(line))
    return fail(
      'Not sent: an unclosed { or " would make hyperdbg-cli wait for more lines (docs/hyperdbg-v0.23.md §1.3) and swallow the next command. Close it on this line.',
    );
  return ok(line);
}

/** Lines the history keeps: far more than anyone scrolls back through. */
export const HISTORY_LIMIT = 500;

/**
 * Up/down history over sent lines, like a shell: the line being typed is kept while browsing
 * and comes back after the newest entry; repeating the last line does not add it again.
 */
export class CommandHistory {
  private entries: string[];
  private index: number;
  private draft = '';

  constructor(entries: readonly string[] = []) {
    this.entries = entries.slice(-HISTORY_LIMIT);
    this.index = this.entries.length;
  }

  get list(): readonly string[] {
    return this.entries;
  }

  add(line: string): void {
    if (this.entries[this.entries.length - 1] !== line) {
      this.entries.push(line);
      if (this.entries.length > HISTORY_LIMIT) this.entries.shift();
    }
    this.index = this.entries.length;
    this.draft = '';
  }

  /** The older line (Up), or undefined at the oldest. `current` is what the input holds now. */
  up(current: string): string | undefined {
    if (this.index === 0) return undefined;
    if (this.index === this.entries.length) this.draft = current;
    this.index--;
    return this.entries[this.index];
  }

  /** The newer line (Down); past the newest, the line that was being typed. */
  down(): string | undefined {
    if (this.index >= this.entries.length) return undefined;
    this.index++;
    return this.index === this.entries.length ? this.draft : this.entries[this.index];
  }
}
