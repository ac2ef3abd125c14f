// Which library action created an event, told from the event's command as a transcript shows it:
// the full line (an echo, a `.logopen` command line) or the `events` listing's text (braces
// dropped, cut at 70 characters plus `...`, spec §4). A code action is recognised by its bytes in
// the `code` block, a log action by its flattened script in the `script` block. Pure.
import { flattenScript } from '../hyperdbg/scriptFlattener';

/** What matching needs of a library action. */
export interface MatchableAction {
  readonly id: string;
  readonly name: string;
  readonly kind: 'log' | 'code';
  /** Upper-case hex of the code block (code actions). */
  readonly codeHex: string | null;
  /** The script body (log actions), as saved. */
  readonly script: string | null;
  /** Fields of its buffer schema: an action without any decodes nothing. */
  readonly fields: readonly string[];
}

export interface ActionMatch {
  readonly action: MatchableAction | null;
  /** How the match was made, or why there is none, in words. */
  readonly how: string;
}

/**
 * Shortest piece of a cut-off block that may pick an action by its prefix: 8 hex digits or
 * characters of script make an accidental match among a library's actions unlikely.
 */
export const MIN_PREFIX_CHARS = 8;

/** Whitespace and braces removed: the listing drops a block's braces, and spacing varies. */
function squash(text: string): string {
  return text.replace(/[\s{}]/g, '');
}

/** The `...` the listing appends to a cut command. */
function withoutEllipsis(text: string, truncated: boolean): string {
  return truncated && text.endsWith('...') ? text.slice(0, -3) : text;
}

/** The part of `command` after the keyword token `word` (squashed), or null without one. */
function blockAfter(command: string, word: string): string | null {
  const m = new RegExp(`(?:^|[\\s}])${word}\\s*\\{?`, 'i').exec(command);
  if (m === null) return null;
  return command.slice(m.index + m[0].length);
}

function codeOf(command: string): string | null {
  const rest = blockAfter(command, 'code');
  if (rest === null) return null;
  const hex = /^[\s0-9a-fA-F]*/.exec(rest)?.[0] ?? '';
  return hex.replace(/\s/g, '').toUpperCase();
}

function scriptOf(command: string): string | null {
  const rest = blockAfter(command, 'script');
  return rest === null ? null : squash(rest);
}

/** An action's script as a command carries it (flattened), squashed; null when it cannot be. */
function actionScript(a: MatchableAction): string | null {
  if (a.script === null) return null;
  const flat = flattenScript(a.script);
  return squash(flat.ok ? flat.value.script : a.script);
}

/**
 * The action that explains an event's records, from its command text. With `truncated`, the
 * block may be cut: a prefix of at least MIN_PREFIX_CHARS picks the actions it starts. When both
 * a code and a log action match, `returnsBuffers` decides (as for a live session): the code
 * action on a target that returns buffers, the log action on a stock build.
 */
export function matchEventCommand(
  command: string,
  truncated: boolean,
  actions: readonly MatchableAction[],
  returnsBuffers: boolean | null,
): ActionMatch {
  const text = withoutEllipsis(command, truncated);
  const code = codeOf(text);
  const script = scriptOf(text);
  if (code === null && script === null)
    return { action: null, how: 'its command has no code or script block' };
  const found: { action: MatchableAction; prefix: boolean }[] = [];
  if (code !== null && code.length > 0) {
    // Cut inside the hex: only a prefix is known.
    const cut = truncated && text.replace(/\s+$/, '').toUpperCase().endsWith(code);
    for (const a of actions) {
      const hex = a.codeHex?.toUpperCase();
      if (a.kind !== 'code' || hex === undefined || hex === '') continue;
      if (hex === code) found.push({ action: a, prefix: false });
      else if (cut && code.length >= MIN_PREFIX_CHARS && hex.startsWith(code))
        found.push({ action: a, prefix: true });
    }
  }
  if (script !== null && script.length > 0) {
    for (const a of actions) {
      if (a.kind !== 'log') continue;
      const s = actionScript(a);
      if (s === null || s === '') continue;
      if (script === s) found.push({ action: a, prefix: false });
      else if (truncated && script.length >= MIN_PREFIX_CHARS && s.startsWith(script))
        found.push({ action: a, prefix: true });
    }
  }
  const decoding = found.filter((f) => f.action.fields.length > 0);
  if (decoding.length === 0)
    return {
      action: null,
      how:
        found.length > 0
          ? `${found[0]?.action.name} matches but has no buffer schema`
          : truncated
            ? 'no library action starts with its (cut) code or script'
            : 'no library action has its code or script',
    };
  const preferred: 'code' | 'log' = returnsBuffers === false ? 'log' : 'code';
  const kinds = new Set(decoding.map((f) => f.action.kind));
  const pool = kinds.size > 1 ? decoding.filter((f) => f.action.kind === preferred) : decoding;
  const exact = pool.filter((f) => !f.prefix);
  const best = exact.length > 0 ? exact : pool;
  const schemas = new Set(best.map((f) => f.action.fields.join('\u0000')));
  const first = best[0] as { action: MatchableAction; prefix: boolean };
  if (best.length > 1 && schemas.size > 1)
    return {
      action: null,
      how: `ambiguous: ${best.map((f) => f.action.name).join(', ')} all match; choose one`,
    };
  const by = first.action.kind === 'code' ? 'its code bytes' : 'its script';
  return {
    action: first.action,
    how: `${by}${first.prefix ? ' (the start the events listing shows)' : ''}${best.length > 1 ? ` (${best.length} actions with the same fields match)` : ''}`,
  };
}
