// The console input: nothing but one complete command may reach the CLI (spec §1.3), and the
// history behaves like a shell's.
import { describe, expect, it } from 'vitest';
import {
  checkConsoleLine,
  CommandHistory,
  HISTORY_LIMIT,
} from '../../../renderer/src/console/consoleLine';

describe('checkConsoleLine', () => {
  it('sends a complete command', () => {
    expect(checkConsoleLine('events')).toEqual({ ok: true, value: 'events' });
    const script = '!syscall script { printf("%x\\n", $context); }';
    expect(checkConsoleLine(script)).toEqual({ ok: true, value: script });
  });
  it('never a blank line (it would repeat g)', () => {
    for (const l of ['', '   '])
      expect(checkConsoleLine(l)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/blank line.*repeat/),
      });
  });
  it('never an unbalanced brace or quote (the CLI would wait for more lines)', () => {
    for (const l of ['!syscall script {', '!syscall script { printf("x); }', 'echo "'])
      expect(checkConsoleLine(l)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/wait for more lines/),
      });
  });
  it('never a second line or a control character', () => {
    expect(checkConsoleLine('events\ng')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/one command per line/),
    });
    expect(checkConsoleLine('events\u0003')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/U\+0003.*Break/),
    });
    expect(checkConsoleLine('a\u2028b').ok).toBe(false);
    expect(checkConsoleLine('x'.repeat(60_001)).ok).toBe(false);
  });
});

describe('CommandHistory', () => {
  it('walks back and forth, keeping the line being typed', () => {
    const h = new CommandHistory(['events', 'g']);
    expect(h.up('pri')).toBe('g');
    expect(h.up('g')).toBe('events');
    expect(h.up('events')).toBeUndefined();
    expect(h.down()).toBe('g');
    expect(h.down()).toBe('pri');
    expect(h.down()).toBeUndefined();
  });
  it('does not repeat the last line and stays bounded', () => {
    const h = new CommandHistory();
    h.add('events');
    h.add('events');
    expect(h.list).toEqual(['events']);
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) h.add(`c${i}`);
    expect(h.list.length).toBe(HISTORY_LIMIT);
    expect(h.list[h.list.length - 1]).toBe(`c${HISTORY_LIMIT + 9}`);
  });
});
