// The `keyword {...}` blocks of an event command (spec §3.1 steps 2-5): which block a keyword
// takes, how `code`/`condition` hex reads (spec §3.2) and how `output` names split (spec §3.4).
// Simulator side; pure.
import type { Token } from '../protocol/tokenizer';

export interface BlockClaim {
  /** Text of the block taken last; '' when none was taken (an empty block counts as none). */
  readonly text: string;
  /** Every token the claim involves, to be removed if the caller accepts the block. */
  readonly tokens: ReadonlySet<number>;
  /** The `flag` word was met somewhere in the command. */
  readonly flagged: boolean;
}

/**
 * Claims the block of `keyword`: the first bracket token after each occurrence of the keyword
 * (other tokens may stand between), the last such block winning (spec §3.2: "last block wins,
 * both blocks are removed"). Every occurrence of the keyword, and of `flag` if given (`asm` is a
 * flag for the whole command, spec §3.2), is claimed too.
 */
export function claimBlock(tokens: readonly Token[], keyword: string, flag?: string): BlockClaim {
  const claimed = new Set<number>();
  let text = '';
  let flagged = false;
  let awaitingBlock = false;
  tokens.forEach((t, i) => {
    if (awaitingBlock && t.type === 'bracket') {
      claimed.add(i);
      text = t.text;
      awaitingBlock = false;
    } else if (t.lower === keyword) {
      claimed.add(i);
      awaitingBlock = true;
    } else if (flag !== undefined && t.lower === flag) {
      claimed.add(i);
      flagged = true;
    }
  });
  return { text, tokens: claimed, flagged };
}

/** Removes the claimed tokens in place, keeping the order of the rest. */
export function removeClaimed(tokens: Token[], claimed: ReadonlySet<number>): void {
  const kept = tokens.filter((_, i) => !claimed.has(i));
  tokens.splice(0, tokens.length, ...kept);
}

const RET = 'c3';
/** One leading hex prefix, at the very start only (spec §3.2 rule 4). */
const LEADING_HEX_PREFIX = /^(?:0x|\\x|x)/i;

/**
 * The bytes of a `code {}` / `condition {}` block (spec §3.2): `ret` appended, one leading prefix
 * dropped, every lower-case `\x` dropped, an odd length padded with a leading 0 (which shifts
 * every nibble), and then only hex digits allowed: no spaces, newlines or commas. Null when the
 * text is not hex; the caller prints "please enter condition code in a hex notation".
 */
export function decodeActionHex(text: string): Uint8Array | null {
  let digits = `${text}${RET}`.replace(LEADING_HEX_PREFIX, '').replaceAll('\\x', '');
  if (digits.length % 2 === 1) digits = `0${digits}`;
  if (!/^[0-9a-fA-F]+$/.test(digits)) return null;
  return Uint8Array.from({ length: digits.length / 2 }, (_, i) =>
    Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16),
  );
}

/**
 * `output {a, b}` names (spec §3.4): split at commas; the names before the last comma are trimmed
 * and empty ones skipped, while the text after it is kept as typed unless it is empty (v0.23
 * trims only the pieces it cuts off).
 */
export function splitOutputNames(text: string): string[] {
  const pieces = text.split(',');
  const last = pieces.pop() ?? '';
  const names = pieces.map((p) => p.trim()).filter((p) => p !== '');
  if (last !== '') names.push(last);
  return names;
}
