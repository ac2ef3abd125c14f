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

/**
 * The command text `events` lists for `line` (spec §4): tokens as typed joined by single
 * spaces with a trailing space, brace blocks without their braces (inner spaces kept), quoted
 * strings without quotes, cut to 70 characters plus `...`. For the lines the builder makes.
 */
export function eventsListingText(line: string): string {
  const tokens: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i];
    if (c === ' ') {
      i++;
    } else if (c === '{') {
      let depth = 0;
      let inString = false;
      let j = i;
      for (; j < n; j++) {
        const d = line[j];
        if (inString) {
          if (d === '\\') j++;
          else if (d === '"') inString = false;
        } else if (d === '"') inString = true;
        else if (d === '{') depth++;
        else if (d === '}' && --depth === 0) break;
      }
      tokens.push(line.slice(i + 1, j));
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < n && line[j] !== '"'; j++) {
        if (line[j] === '\\' && line[j + 1] === '"') {
          s += '"';
          j++;
        } else s += line[j];
      }
      tokens.push(s);
      i = j + 1;
    } else {
      let j = i;
      while (j < n && line[j] !== ' ' && line[j] !== '{') j++;
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  const text = tokens.map((t) => `${t} `).join('');
  return text.length > EVENTS_LISTING_MAX_CHARS
    ? `${text.slice(0, EVENTS_LISTING_MAX_CHARS)}...`
    : text;
}
