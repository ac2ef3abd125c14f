// What may reach hyperdbg-cli's stdin: one command, never blank (spec §1.3 step 5), nothing left
// open (§1.3 step 4), no control character, not the session's sync marker (§1.8); and how the
// CLI's tokenizer splits a line (§1.3).
import { describe, expect, it } from 'vitest';
import {
  checkCommandLine,
  cliTokens,
  SYNC_MARKER_PREFIX,
} from '../../../electron/host/session/commandLine';
import { cliWaitsForMore } from '../../../shared/hyperdbg/cliLine';
import { HOSTILE_CONSOLE_INPUT } from '../../helpers/sessionCorpus';

describe('checkCommandLine', () => {
  it('refuses every hostile input with a reason in words', () => {
    for (const input of HOSTILE_CONSOLE_INPUT) {
      const r = checkCommandLine(input);
      if (r.ok) throw new Error(`accepted ${JSON.stringify(input)}`);
      expect(r.error.length).toBeGreaterThan(10);
    }
  });

  it('names the reason: blank repeats g, line breaks, control characters, open braces, the marker', () => {
    const msg = (s: string) => {
      const r = checkCommandLine(s);
      return r.ok ? '' : r.error;
    };
    expect(msg('  ')).toMatch(/repeat the previous command/);
    expect(msg('g\r\ng')).toMatch(/line break at position 2/);
    expect(msg('pause\x03')).toMatch(/control character \(U\+0003\) at position 6/);
    expect(msg('events\t')).toMatch(/TAB/);
    expect(msg('!syscall script {')).toMatch(/wait for more lines/);
    expect(msg('x "y')).toMatch(/unclosed/);
    expect(msg(`${SYNC_MARKER_PREFIX}7`)).toMatch(/reserves/);
  });

  it('accepts ordinary commands as typed, including braces and quotes that close', () => {
    for (const line of [
      'g',
      '.status',
      'events',
      'events d 1',
      '!syscall 55 script {printf("}{ %x\\n", $pid);}',
      '.sympath "SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols"',
      '  lm  ',
      '? 1+2',
      'r rax',
      'x }',
      'echo ünïcödé',
    ]) {
      const r = checkCommandLine(line);
      expect(r).toEqual({ ok: true, value: line });
    }
  });

  it('never accepts a line with a newline, a blank line or one the CLI would continue (random input)', () => {
    const alphabet = ['a', ' ', '{', '}', '"', '\\', '\r', '\n', '\x03', '\t', 'g', '\u2028', 'é'];
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      let s = '';
      const len = Math.floor(rand() * 12);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)] as string;
      const r = checkCommandLine(s);
      if (!r.ok) continue;
      accepted++;
      // eslint-disable-next-line no-control-regex -- control characters are what must not pass
      expect(r.value).not.toMatch(/[\r\n\x00-\x1f\u2028\u2029]/);
      expect(r.value.trim().length).toBeGreaterThan(0);
      expect(cliWaitsForMore(r.value)).toBe(false);
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe('cliTokens (spec §1.3 CommandParser)', () => {
  it('splits on spaces only and keeps a brace block or a quoted string whole', () => {
    expect(cliTokens('!syscall  55 pid 4')).toEqual(['!syscall', '55', 'pid', '4']);
    expect(cliTokens('!epthook\tnt!Foo')).toEqual(['!epthook\tnt!Foo']);
    expect(cliTokens('!syscall script {printf("} x");} buffer 8')).toEqual([
      '!syscall',
      'script',
      '{printf("} x");}',
      'buffer',
      '8',
    ]);
    expect(cliTokens('.debug remote namedpipe "\\\\.\\pipe\\a b"')).toEqual([
      '.debug',
      'remote',
      'namedpipe',
      '"\\\\.\\pipe\\a b"',
    ]);
    expect(cliTokens('code{90}')).toEqual(['code', '{90}']);
    expect(cliTokens('')).toEqual([]);
  });
});
