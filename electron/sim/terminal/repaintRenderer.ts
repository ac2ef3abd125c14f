// `sim --conpty-repaint`: output the way a re-rendering conhost may paint it (spec §1.7; the real
// byte stream was never captured, so these are the plausible forms the parser must survive):
// trailing blanks trimmed with the cursor placed after them (EL, then CUP), runs of blanks as
// cursor-forward, TABs expanded to 8-column stops, and the line a command was typed on repainted
// whole, prompt and echo together, when Enter is pressed (CUP, CR or CHA to column 1 in turn,
// then EL). Hard wraps at the pty width as plain `--conpty`. Simulator side; pure.

const ESC = '\x1b';
/** conhost's TAB stops. */
const TAB_COLUMNS = 8;
/** Rows of the viewport the cursor positions refer to; output beyond it scrolls. */
const VIEWPORT_ROWS = 30;

/** How the typed line is repainted, used in turn so that one session shows every form. */
const REPAINT_FORMS = [
  (row: number) => `${ESC}[${row};1H`, // CUP to the start of the row
  () => '\r', // carriage return
  () => `${ESC}[1G`, // CHA to column 1
] as const;

export class RepaintRenderer {
  /** Columns used on the current row, blanks not painted yet included. */
  private column = 0;
  /**
   * Where the stream has put the cursor on this row: blanks between it and `column` are held
   * back, as conhost trims trailing blanks and skips runs of them.
   */
  private cursorColumn = 0;
  /** 1-based row of the cursor in the viewport. */
  private row = 1;
  /** The current row as the screen shows it (held blanks included). */
  private rowText = '';
  private typed = '';
  private lastWasCr = false;
  private repaints = 0;

  constructor(private readonly width: () => number) {}

  /** The screen was cleared and the cursor homed (ConPTY's start-up sequence). */
  home(): void {
    this.row = 1;
    this.startRow();
  }

  /** What the CLI printed, as painted. */
  output(text: string): string {
    let out = '';
    for (const ch of text) {
      if (ch === '\n') {
        // Trailing blanks of a finished row are never painted.
        out += this.lastWasCr ? '\n' : '\r\n';
        this.lastWasCr = false;
        this.nextRow();
        continue;
      }
      if (ch === '\r') {
        out += '\r';
        this.lastWasCr = true;
        this.startRow();
        continue;
      }
      this.lastWasCr = false;
      if (ch === '\t' || ch === ' ') {
        const n = ch === ' ' ? 1 : TAB_COLUMNS - (this.column % TAB_COLUMNS);
        for (let k = 0; k < n; k++) out += this.blank();
        continue;
      }
      out += this.visible(ch);
    }
    return out;
  }

  /** A key conhost echoes: kept until Enter, when the whole line is repainted. */
  echo(text: string): string {
    if (text === '\b \b') {
      this.typed = this.typed.slice(0, -1);
      return '';
    }
    if (text !== '\r\n') {
      this.typed += text;
      return '';
    }
    const form = REPAINT_FORMS[this.repaints++ % REPAINT_FORMS.length] as (row: number) => string;
    const line = (this.rowText + this.typed).trimEnd();
    const width = Math.max(1, this.width());
    let out = form(this.row);
    for (let i = 0; i < line.length; i += width) {
      if (i > 0) {
        out += '\r\n';
        this.nextRow();
      }
      out += line.slice(i, i + width);
    }
    out += `${ESC}[K\r\n`;
    this.typed = '';
    this.nextRow();
    return out;
  }

  /**
   * The end of a painted frame: blanks still held (a prompt's trailing space) are erased rather
   * than painted, and the cursor is put after them.
   */
  endFrame(): string {
    if (this.column === this.cursorColumn) return '';
    this.cursorColumn = this.column;
    return `${ESC}[K${ESC}[${this.row};${this.column + 1}H`;
  }

  private blank(): string {
    const out = this.column >= Math.max(1, this.width()) ? this.wrap() : '';
    this.column++;
    this.rowText += ' ';
    return out;
  }

  private visible(ch: string): string {
    let out = this.column >= Math.max(1, this.width()) ? this.wrap() : '';
    // Held blanks before more text: one space, or a cursor-forward over a run.
    const gap = this.column - this.cursorColumn;
    if (gap === 1) out += ' ';
    else if (gap > 1) out += `${ESC}[${gap}C`;
    out += ch;
    this.column++;
    this.cursorColumn = this.column;
    this.rowText += ch;
    return out;
  }

  /** A hard wrap: the row is full, so its blanks are painted (the parser joins full rows). */
  private wrap(): string {
    const out = `${' '.repeat(this.column - this.cursorColumn)}\r\n`;
    this.nextRow();
    return out;
  }

  private nextRow(): void {
    this.row = Math.min(this.row + 1, VIEWPORT_ROWS);
    this.startRow();
  }

  private startRow(): void {
    this.column = 0;
    this.cursorColumn = 0;
    this.rowText = '';
  }
}
