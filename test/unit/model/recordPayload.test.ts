// The record payload contract: word counts and the characters an expression may not use (each
// of which could end the printf argument, the statement or the script block it lands in).
import { describe, expect, it } from 'vitest';
import { checkPayloadExpression, recordPayloadSchema } from '../../../shared/model/recordPayload';

describe('record payload', () => {
  it('accepts the stock ImageFileName payload', () => {
    const r = recordPayloadSchema.safeParse({
      length: 15,
      words: ['dq($pname)', 'dq($pname+8)'],
      origin: 'authored',
    });
    expect(r.success).toBe(true);
  });

  it('refuses a word count that does not match the length', () => {
    const r = recordPayloadSchema.safeParse({ length: 9, words: ['dq(@rcx)'], origin: 'derived' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('9 bytes take 2 words, not 1');
  });

  it.each([',', ';', '{', '}', '"', "'", '\\', '\n', '\u0000', '\u009b'])(
    'refuses %j inside an expression',
    (ch) => {
      expect(checkPayloadExpression(`dq($pname${ch}8)`)).not.toBeNull();
    },
  );

  it('refuses unbalanced parentheses and empty words', () => {
    expect(checkPayloadExpression('dq(dq($proc)+b8')).toContain('without its ")"');
    expect(checkPayloadExpression('dq($proc))')).toContain('without its "("');
    expect(checkPayloadExpression('  ')).toBe('an empty expression');
  });

  it('accepts symbols, registers and operators', () => {
    expect(checkPayloadExpression('dq(nt!PsInitialSystemProcess) & ffffffff`ffffffff')).toBeNull();
    expect(checkPayloadExpression('dq(@rdx + 40) >> 3')).toBeNull();
  });
});
