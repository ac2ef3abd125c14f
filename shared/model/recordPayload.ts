// What a record carries, as HyperDbg script expressions: the meeting point of an action's log
// form (authored by the user, or derived from its custom code) and the delivery strategies that
// print it (one record per event, batched, counted in the target). Pure.
import { z } from 'zod';
import { RECORD_MAX_LENGTH, recordWordCount } from './record';

/**
 * A record's payload as a target script computes it: `length` bytes, given as one script
 * expression per 64-bit little-endian word (`dq($pname)`, `dq($pname+8)`), so a generator can
 * print the words in a record line, keep them in globals for a batch, or use one as a count key.
 * The expressions are embedded in generated scripts: they must pass `checkPayloadExpression`.
 */
export interface RecordPayload {
  /** Payload length in bytes, 1..RECORD_MAX_LENGTH (a stock `buffer` limit, spec §3.5). */
  readonly length: number;
  /** ceil(length / 8) expressions, word 0 first. */
  readonly words: readonly string[];
  /** Who wrote the expressions: the action's author, or the translation of its custom code. */
  readonly origin: 'authored' | 'derived';
}

/** An expression is one argument of a printf: no more than this many characters. */
export const MAX_PAYLOAD_EXPRESSION_LENGTH = 512;

/**
 * The characters a payload expression may use: hex/decimal numbers, names, `$pseudo` and `@reg`
 * registers, calls such as `dq(...)`, arithmetic and bit operators, parentheses and spaces.
 * Anything that could end the printf argument list, the statement or the script block (`,` `;`
 * `{` `}` `"` `'` `\`, line breaks, control characters) is refused: a payload word must stay
 * one expression inside the generated command (spec §1.3).
 */
const EXPRESSION_CHARS = /^[0-9A-Za-z_$@.!`+\-*/%&|^~<>() ]+$/;

/** null when `expr` is acceptable as one payload word, else why not. */
export function checkPayloadExpression(expr: string): string | null {
  if (expr.trim().length === 0) return 'an empty expression';
  if (expr.length > MAX_PAYLOAD_EXPRESSION_LENGTH)
    return `longer than ${MAX_PAYLOAD_EXPRESSION_LENGTH} characters`;
  if (!EXPRESSION_CHARS.test(expr))
    return 'only numbers, names, $pseudo-registers, @registers, calls, operators, parentheses and spaces are allowed';
  let depth = 0;
  for (const ch of expr) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return 'a ")" without its "("';
  }
  return depth === 0 ? null : 'a "(" without its ")"';
}

export const recordPayloadSchema = z
  .object({
    length: z.number().int().min(1).max(RECORD_MAX_LENGTH),
    words: z.array(z.string()).max(recordWordCount(RECORD_MAX_LENGTH)),
    origin: z.enum(['authored', 'derived']),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.words.length !== recordWordCount(p.length))
      ctx.addIssue({
        code: 'custom',
        path: ['words'],
        message: `${p.length} bytes take ${recordWordCount(p.length)} words, not ${p.words.length}`,
      });
    p.words.forEach((w, i) => {
      const problem = checkPayloadExpression(w);
      if (problem !== null)
        ctx.addIssue({ code: 'custom', path: ['words', i], message: `word ${i}: ${problem}` });
    });
  });
