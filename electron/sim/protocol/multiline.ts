// Whether a command typed so far needs another line (spec §1.3 step 4): the CLI prints "> " and
// reads on while a `{` or a `"` is still open. Simulator side; pure state across lines.

export class MultilineTracker {
  private inString = false;
  private openBraces = 0;
  /** The previous character was an unpaired backslash (`\\` pairs cancel out). */
  private escaping = false;

  /** Feeds one line; true while the command still needs more lines. `reset` starts a command. */
  feed(line: string, reset: boolean): boolean {
    if (reset) {
      this.inString = false;
      this.openBraces = 0;
      this.escaping = false;
    }
    for (const ch of line) this.step(ch);
    return this.inString || this.openBraces !== 0;
  }

  private step(ch: string): void {
    const escaped = this.escaping;
    this.escaping = ch === '\\' && !escaped;
    // Only a quote honours the escape: `\{` and `\}` are still counted (v0.23 behaviour), and
    // braces inside a string are not.
    if (ch === '"') {
      if (!escaped) this.inString = !this.inString;
    } else if (!this.inString) {
      if (ch === '{') this.openBraces++;
      else if (ch === '}' && this.openBraces > 0) this.openBraces--;
    }
  }
}
