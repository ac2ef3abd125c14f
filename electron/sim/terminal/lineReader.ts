// Turns raw terminal input into what hyperdbg-cli's getline would see: lines ended by `\r`, `\n`
// or `\r\n` (the app sends `\r` as a ConPTY user's Enter), Ctrl+C as an interrupt, and end of
// input. Backspace edits the pending line as a console's line editing would. Simulator side.
import { StringDecoder } from 'node:string_decoder';

export interface LineReaderEvents {
  line(text: string): void;
  interrupt(): void;
  end(): void;
}

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const BACKSPACE = '\x7f';
const CTRL_H = '\b';
const ESC = '\x1b';

export class LineReader {
  private partial = '';
  private lastWasCr = false;
  /** Where we are inside a terminal escape sequence (arrow keys, focus reports): skipped. */
  private escape: 'none' | 'esc' | 'csi' | 'ss3' = 'none';
  private ended = false;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly events: LineReaderEvents,
    private readonly echo: (text: string) => void,
  ) {}

  /** Feeds bytes from stdin. */
  push(data: Buffer | string): void {
    const text = typeof data === 'string' ? data : this.decoder.write(data);
    for (const ch of text) this.feedChar(ch);
  }

  /** Stdin reached its end: a pending line without Enter is discarded (spec §1.7). */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.partial = '';
    this.events.end();
  }

  /** Drops what was typed so far (a Ctrl+C at the prompt abandons the line). */
  discardPartial(): void {
    this.partial = '';
  }

  private feedChar(ch: string): void {
    if (this.ended) return;
    if (this.escape !== 'none') {
      if (this.escape === 'esc') this.escape = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : 'none';
      else if (this.escape === 'ss3') this.escape = 'none';
      else if (ch >= '@' && ch <= '~') this.escape = 'none'; // CSI final byte
      return;
    }
    if (ch === '\n' && this.lastWasCr) {
      this.lastWasCr = false;
      return;
    }
    this.lastWasCr = ch === '\r';
    switch (ch) {
      case CTRL_C:
        this.partial = '';
        this.events.interrupt();
        return;
      case '\r':
      case '\n': {
        const line = this.partial;
        this.partial = '';
        this.echo('\r\n');
        this.events.line(line);
        return;
      }
      case BACKSPACE:
      case CTRL_H:
        if (this.partial.length > 0) {
          this.partial = this.partial.slice(0, -1);
          this.echo('\b \b');
        }
        return;
      case CTRL_D:
        // A Unix terminal's end-of-file key on an empty line; elsewhere ignored.
        if (this.partial.length === 0) this.finish();
        return;
      case ESC:
        this.escape = 'esc';
        return;
      default:
        this.partial += ch;
        this.echo(ch);
    }
  }
}
