// Checks a command line before it may reach hyperdbg-cli's stdin: exactly one command, never a
// blank line (it repeats `g`, spec §1.3 step 5), nothing that makes the CLI wait for more lines
// (§1.3 step 4), no control character, and not our own sync marker. Host side; pure logic.
import { cliTokenSpans, cliWaitsForMore } from '../../../shared/hyperdbg/cliLine';
import { MAX_COMMAND_LINE_CHARS } from '../../../shared/hyperdbg/commandBuilder';
import { describeChar } from '../../../shared/hyperdbg/grammar';
import { fail, ok, type Result } from '../../../shared/result';
import { breaksOneLine, describeRefused } from '../../../shared/text/controlChars';

/**
 * Prefix of the unknown commands the queue sends after each command (spec §1.8). A line that
 * contains it could fake the end of another command's output, so console input may not.
 */
export const SYNC_MARKER_PREFIX = '__hdbg_sync_';

/** The line as it may be sent, or why not, in words. */
export type LineCheck = Result<string, string>;

/** The line as it may be sent, or why not, in words. */
export function checkCommandLine(line: string): LineCheck {
  if (line.trim().length === 0)
    return fail(
      'a blank line is never sent: hyperdbg-cli would repeat the previous command (g, p, t, ...; docs/hyperdbg-v0.23.md §1.3 step 5)',
    );
  if (line.length > MAX_COMMAND_LINE_CHARS)
    return fail(
      `is ${line.length} characters long; at most ${MAX_COMMAND_LINE_CHARS} are sent as one command`,
    );
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x0a || c === 0x0d)
      return fail(
        `holds a line break at position ${i + 1}: one command per line (Enter is added when it is sent)`,
      );
    // Characters that end or split a line between us and the CLI, that a terminal acts on
    // (Ctrl+C is 0x03, ESC starts a sequence), or that make the line read as another.
    if (breaksOneLine(c))
      return fail(
        `holds ${c < 0x80 ? describeChar(line[i] as string) : describeRefused(c)} at position ${i + 1}; use Interrupt for Ctrl+C`,
      );
    if (c >= 0xd800 && c <= 0xdfff) {
      const pair =
        c <= 0xdbff &&
        i + 1 < line.length &&
        line.charCodeAt(i + 1) >= 0xdc00 &&
        line.charCodeAt(i + 1) <= 0xdfff;
      if (!pair) return fail(`holds a broken Unicode character at position ${i + 1}`);
      i++;
    }
  }
  if (cliWaitsForMore(line))
    return fail(
      'has an unclosed { or ": hyperdbg-cli would wait for more lines (docs/hyperdbg-v0.23.md §1.3 step 4); close it on the same line',
    );
  if (line.toLowerCase().includes(SYNC_MARKER_PREFIX))
    return fail(
      `contains '${SYNC_MARKER_PREFIX}', which the session reserves for its sync markers (docs/hyperdbg-v0.23.md §1.8)`,
    );
  return ok(line);
}

/**
 * The tokens hyperdbg-cli's CommandParser makes of a line (spec §1.3), braces and quotes kept.
 * Enough for deciding what kind of command a line is; comments are not removed.
 */
export function cliTokens(line: string): string[] {
  return cliTokenSpans(line).map((t) => line.slice(t.start, t.end));
}
