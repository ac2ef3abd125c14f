// The VT/ANSI stripper (spec §1.7): sequences removed wherever they are cut, blanks that ConPTY
// writes as cursor moves kept as spaces, cursor positioning inside a line kept as a line break.
import { describe, expect, it } from 'vitest';
import { MAX_CURSOR_FORWARD_SPACES, VtStripper } from '../../../shared/hyperdbg/vtStripper';
import { utf8 } from './parserHelpers';

function strip(chunks: readonly string[]): string {
  const vt = new VtStripper();
  const out: number[] = [];
  for (const c of chunks) vt.strip(utf8(c), (b) => out.push(...b));
  return new TextDecoder().decode(Uint8Array.from(out));
}

describe('VtStripper', () => {
  it('removes SGR, private modes, erase, OSC titles (BEL or ST) and charset designations', () => {
    expect(
      strip(['\x1b[31mred\x1b[0m \x1b[?25l\x1b[K\x1b]0;title\x07a\x1b]2;t\x1b\\b\x1b(Bc']),
    ).toBe('red abc');
  });

  it('survives a sequence cut anywhere', () => {
    const s = 'x\x1b[38;5;196my\x1b]0;a title\x1b\\z';
    for (let k = 0; k <= s.length; k++) expect(strip([s.slice(0, k), s.slice(k)])).toBe('xyz');
  });

  it('turns cursor-forward into spaces, capped', () => {
    expect(strip(['a\x1b[3Cb\x1b[Cc'])).toBe('a   b c');
    expect(strip(['\x1b[99999C']).length).toBe(MAX_CURSOR_FORWARD_SPACES);
  });

  it('turns cursor positioning into a line break only when the line holds something', () => {
    expect(strip(['\x1b[H\x1b[2Jabc\x1b[2;1Hdef\x1b[3;1H'])).toBe('abc\ndef\n');
  });

  it('keeps C0 controls met inside a sequence, and text after an aborted one', () => {
    expect(strip(['a\x1b[\n31mb'])).toBe('a\nb');
    expect(strip(['a\x1b[1é'])).toBe('aé');
  });
});
