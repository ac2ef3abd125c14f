// Hides the session's sync markers from the console. After each command the session sends an
// unknown command, `__hdbg_sync_` and 16 random hex digits, and the CLI answers "err, couldn't
// resolve command at '__hdbg_sync_...'", a blank line and a new prompt (spec §1.8): bookkeeping,
// not output the user asked for. The answer and the prompt after it are dropped (the prompt before it stays),
// also when a chunk ends inside them. Anything else, byte for byte, passes. Pure.

const LITERAL = "err, couldn't resolve command at '__hdbg_sync_";
/** The marker's own part: 16 random hex digits (commandQueue.ts); shorter ones are older forms. */
const ID = '[0-9a-f]{1,16}';
/** Prompts of spec §1.4: plain, remote, Debugger Mode, user-mode debugging. */
const PROMPT = String.raw`(?:\[[^\]\n]{1,64}\] )?(?:[0-9a-f]{1,8}: k|[0-9a-f]{1,8}:[0-9a-f]{1,8} [^\n]{0,64}? u)?HyperDbg> `;
const PROMPT_AT_START = new RegExp(`^${PROMPT}`);
const MARKER = new RegExp(`${escape(LITERAL)}${ID}'\\r?\\n\\r?\\n${PROMPT}`, 'g');
/** A marker's id and line ends, then whatever follows (the prompt, maybe not whole yet). */
const AFTER_LINES = new RegExp(`^${ID}'\\r?\\n\\r?\\n([\\s\\S]*)$`);
/** A marker cut off in its id or line ends. */
const PARTIAL = /^[0-9a-f]{0,16}(?:'\r?\n?\r?)?$/;
const PARTIAL_BLANK = new RegExp(`^${ID}'\\r?\\n\\r?$`);
/** The longest tail that can still turn into a marker: the literal, its id, quote, CRLFs, a prompt. */
const MAX_HOLD = LITERAL.length + 16 + 5 + 160;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Could `tail` still grow into a whole marker? */
function couldBeMarker(tail: string): boolean {
  if (tail.length <= LITERAL.length) return LITERAL.startsWith(tail);
  if (!tail.startsWith(LITERAL)) return false;
  const rest = tail.slice(LITERAL.length);
  const afterLines = AFTER_LINES.exec(rest);
  if (afterLines !== null) {
    // The prompt has not come (whole) yet: wait while the line could still be one.
    const p = afterLines[1] as string;
    return p.length < 160 && !p.includes('\n') && !PROMPT_AT_START.test(p);
  }
  return PARTIAL.test(rest) || PARTIAL_BLANK.test(rest);
}

export class MarkerFilter {
  private carry = '';

  /** The text to show for this chunk (a possible marker's start is held for the next one). */
  push(text: string): string {
    let s = (this.carry + text).replace(MARKER, '');
    this.carry = '';
    // Hold back from the last place a marker could be starting.
    for (let i = Math.max(0, s.length - MAX_HOLD); i < s.length; i++) {
      if (s.charCodeAt(i) !== 0x65 /* e */) continue;
      if (couldBeMarker(s.slice(i))) {
        this.carry = s.slice(i);
        s = s.slice(0, i);
        break;
      }
    }
    return s;
  }

  /** Gives back what is held (the stream was reset or the text was not a marker after all). */
  flush(): string {
    const c = this.carry;
    this.carry = '';
    return c;
  }
}
