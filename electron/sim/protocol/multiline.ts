// CheckMultilineCommand (spec §1.3 step 4): counts unclosed `{` and `"` across lines, ignoring
// backslash-escaped ones, so the CLI knows to print "> " and read another line. Simulator side.

export class MultilineTracker {
  private onString = false;
  private previousBackslash = false;
  private openBrackets = 0;

  /** Feeds one line; true while the command still needs more lines. `reset` starts a command. */
  feed(line: string, reset: boolean): boolean {
    if (reset) {
      this.onString = false;
      this.previousBackslash = false;
      this.openBrackets = 0;
    }
    for (const ch of line) {
      switch (ch) {
        case '"':
          if (this.previousBackslash) {
            this.previousBackslash = false;
            break;
          }
          this.onString = !this.onString;
          break;
        case '{':
          this.previousBackslash = false;
          if (!this.onString) this.openBrackets++;
          break;
        case '}':
          this.previousBackslash = false;
          if (!this.onString && this.openBrackets > 0) this.openBrackets--;
          break;
        case '\\':
          this.previousBackslash = !this.previousBackslash;
          break;
        default:
          this.previousBackslash = false;
      }
    }
    return this.onString || this.openBrackets !== 0;
  }
}
