// The script flattener on the largest scripts an action holds (64 KiB): every shape that made a
// pass quadratic (nested printf calls, many conversions, long comments) finishes in a time that
// only a linear pass can, and gives the same verdicts as on small scripts.
import { describe, expect, it } from 'vitest';
import { MAX_SCRIPT_LENGTH } from '../../../shared/model/action';
import { flattenScript } from '../../../shared/hyperdbg/scriptFlattener';

/** Far above a linear pass over 64 KiB (a few ms), far below the quadratic one (seconds). */
const LINEAR_BOUND_MS = 500;

function timedFlatten(source: string) {
  const t = performance.now();
  const r = flattenScript(source);
  return { ms: performance.now() - t, r };
}

describe('flattenScript on 64 KiB scripts', () => {
  it('checks deeply nested printf calls in linear time', () => {
    const call = 'printf("%d\\n", ';
    const depth = Math.floor((MAX_SCRIPT_LENGTH - 10) / (call.length + 1));
    const source = `${call.repeat(depth)}1${')'.repeat(depth)};`;
    expect(source.length).toBeLessThanOrEqual(MAX_SCRIPT_LENGTH);
    const { ms, r } = timedFlatten(source);
    expect(ms).toBeLessThan(LINEAR_BOUND_MS);
    expect(r.ok).toBe(true);
  });

  it('reports the first bad call of a nested chain, counting calls in the order written', () => {
    const r = flattenScript('printf("%d %d\\n", printf("%d\\n", 1), printf("%x\\n"));');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.message).toMatch(
        /^printf call 3: the format has 1 conversion but 0 arguments/,
      );
    const outer = flattenScript('printf("%d %d\\n", printf("%d\\n", 1));');
    if (!outer.ok)
      expect(outer.error.message).toMatch(
        /^printf call 1: the format has 2 conversions but 1 argument/,
      );
    else throw new Error('accepted a mismatched outer call');
  });

  it('checks many sequential calls and conversions in linear time', () => {
    const calls = 'printf("%d %x %s\\n", 1, 2, "a");'.repeat(MAX_SCRIPT_LENGTH / 33);
    expect(timedFlatten(calls).ms).toBeLessThan(LINEAR_BOUND_MS);
    const conversions = `printf("${'%d'.repeat(30_000)}\\n");`;
    const { ms, r } = timedFlatten(conversions);
    expect(ms).toBeLessThan(LINEAR_BOUND_MS);
    if (!r.ok) expect(r.error.message).toMatch(/30000 conversions but 0 arguments/);
  });

  it('strips long comments and whitespace in linear time', () => {
    const source = `${'/* c */ // x\n'.repeat(MAX_SCRIPT_LENGTH / 14)}print(1);`;
    const { ms, r } = timedFlatten(source);
    expect(ms).toBeLessThan(LINEAR_BOUND_MS);
    expect(r).toMatchObject({ ok: true, value: { script: 'print(1);' } });
  });
});
