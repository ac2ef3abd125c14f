// How hyperdbg-cli reads one command line, for checking what we send: whether it would wait for
// more lines (CheckMultilineCommand, spec §1.3) and the text `events` will list for it (§4).
// Pure.

/**
 * True when the CLI would print the continuation prompt `> ` and wait for another line: an
 * unclosed `"` or `{` (spec §1.3). Follows HyperDbg's counting: `\"` does not toggle a string,
 * `\\` is no escape, braces inside strings are not counted, a `}` never takes the count below 0.
 */
export function cliWaitsForMore(line: string): boolean {
  let inString = false;
  let backslash = false;
  let open = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      if (backslash) backslash = false;
      else inString = !inString;
    } else if (c === '{') {
      backslash = false;
      if (!inString) open++;
    } else if (c === '}') {
      backslash = false;
      if (!inString && open > 0) open--;
    } else if (c === '\\') backslash = !backslash;
    else backslash = false;
  }
  return inString || open !== 0;
}

/** Longest command text `events` shows before cutting it and appending `...` (spec §4). */
export const EVENTS_LISTING_MAX_CHARS = 70;

/** One token of a command line as hyperdbg-cli's CommandParser splits it (spec §1.3). */
export interface CliTokenSpan {
  /** `brace`: a `{...}` block (outermost braces); `string`: a `"..."` literal; `word`: the rest. */
  readonly kind: 'brace' | 'string' | 'word';
  /** Start and end (exclusive) in the line, braces and quotes included. */
  readonly start: number;
  readonly end: number;
}

/**
 * Splits a line the way the CLI's tokenizer does for the lines we build and check: on spaces
 * only, a `{...}` block (quotes inside respected, nested braces counted) or a `"..."` string
 * (backslash escapes skipped) is one token, and a `{` also ends a word. Comments are not removed.
 */
export function cliTokenSpans(line: string): CliTokenSpan[] {
  const spans: CliTokenSpan[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line[i];
    if (c === ' ') {
      i++;
      continue;
    }
    let j = i;
    let kind: CliTokenSpan['kind'] = 'word';
    if (c === '{') {
      kind = 'brace';
      let depth = 0;
      let inString = false;
      for (; j < n; j++) {
        const d = line[j];
        if (inString) {
          if (d === '\\') j++;
          else if (d === '"') inString = false;
        } else if (d === '"') inString = true;
        else if (d === '{') depth++;
        else if (d === '}' && --depth === 0) break;
      }
      j++;
    } else if (c === '"') {
      kind = 'string';
      for (j = i + 1; j < n && line[j] !== '"'; j++) if (line[j] === '\\') j++;
      j++;
    } else {
      while (j < n && line[j] !== ' ' && line[j] !== '{') j++;
    }
    const end = Math.min(j, n);
    spans.push({ kind, start: i, end });
    i = end;
  }
  return spans;
}

/**
 * The command text `events` lists for `line` (spec §4): tokens as typed joined by single
 * spaces with a trailing space, brace blocks without their braces (inner spaces kept), quoted
 * strings without quotes (`\"` read as `"`), cut to 70 characters plus `...`. For the lines the
 * builder makes.
 */
export function eventsListingText(line: string): string {
  const tokens = cliTokenSpans(line).map(({ kind, start, end }) => {
    if (kind === 'word') return line.slice(start, end);
    // An unclosed block or string runs to the end of the line: there is no closing character.
    const closed =
      end <= line.length && line[end - 1] === (kind === 'brace' ? '}' : '"') && end - start > 1;
    const inner = line.slice(start + 1, closed ? end - 1 : end);
    return kind === 'string' ? inner.replaceAll('\\"', '"') : inner;
  });
  const text = tokens.map((t) => `${t} `).join('');
  return text.length > EVENTS_LISTING_MAX_CHARS
    ? `${text.slice(0, EVENTS_LISTING_MAX_CHARS)}...`
    : text;
}
