// The simulator's shared event interpreter, its pure parts: which `keyword {...}` block is taken,
// the `code {}`/`condition {}` hex rules and their table (spec §3.2), `output` names (spec §3.4),
// and the per-event keywords with their v0.23 errors (spec §3.1 step 8, §3.4, §3.5, §3.7).
import { describe, expect, it } from 'vitest';
import {
  claimBlock,
  decodeActionHex,
  removeClaimed,
  splitOutputNames,
} from '../../../electron/sim/events/eventBlocks';
import { readEventOptions } from '../../../electron/sim/events/eventOptions';
import { tokenize } from '../../../electron/sim/protocol/tokenizer';

const bytes = (text: string) => {
  const b = decodeActionHex(text);
  return b === null ? null : [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
};

describe('code {} / condition {} hex (spec §3.2)', () => {
  it('gives the results of the spec table', () => {
    expect(bytes('90909090')).toBe('90 90 90 90 c3');
    expect(bytes('0x9090')).toBe('90 90 c3');
    expect(bytes('\\x90\\x90')).toBe('90 90 c3');
    expect(bytes('FFfe')).toBe('ff fe c3');
    expect(bytes(' 90 90 ')).toBeNull();
    expect(bytes('\\x90\\X90')).toBeNull();
    expect(bytes('909')).toBe('09 09 c3');
  });

  it('drops one leading prefix in any of its spellings, and only at the start (rule 4)', () => {
    for (const p of ['0x', '0X', '\\x', '\\X', 'x', 'X']) expect(bytes(`${p}90`)).toBe('90 c3');
    expect(bytes('0x0x90')).toBeNull();
    expect(bytes('90x90')).toBeNull();
  });

  it('refuses newlines and commas (a multi-line block always fails)', () => {
    expect(bytes('\n90\n')).toBeNull();
    expect(bytes('90,90')).toBeNull();
  });
});

describe('claiming a keyword block (spec §3.1, §3.2)', () => {
  it('takes the last block, claiming every keyword and block', () => {
    const tokens = tokenize('!cpuid code {90} code {cc} pid 4');
    const claim = claimBlock(tokens, 'code');
    expect(claim.text).toBe('cc');
    expect([...claim.tokens].sort()).toEqual([1, 2, 3, 4]);
    removeClaimed(tokens, claim.tokens);
    expect(tokens.map((t) => t.text)).toEqual(['!cpuid', 'pid', '4']);
  });

  it('takes the first block after the keyword even with other tokens between', () => {
    expect(claimBlock(tokenize('!cpuid code pid 4 {90}'), 'code').text).toBe('90');
  });

  it('treats an empty block as none, so `code {}` stays in the command (rule 2)', () => {
    expect(claimBlock(tokenize('!cpuid code {}'), 'code').text).toBe('');
  });

  it('sees `asm` anywhere in the command as a flag of the whole command', () => {
    const tokens = tokenize('!cpuid asm condition {90} asm code {cc}');
    const claim = claimBlock(tokens, 'condition', 'asm');
    expect(claim.flagged).toBe(true);
    expect([...claim.tokens].sort()).toEqual([1, 2, 3, 4]);
    expect(claimBlock(tokenize('!cpuid code {cc}'), 'code', 'asm').flagged).toBe(false);
  });
});

describe('output names (spec §3.4)', () => {
  it('splits at commas and trims the names it cuts off', () => {
    expect(splitOutputNames('a, b ,c')).toEqual(['a', 'b', 'c']);
    expect(splitOutputNames('one')).toEqual(['one']);
  });

  it('keeps the piece after the last comma as typed, and finds no name in ","', () => {
    expect(splitOutputNames('a, b')).toEqual(['a', ' b']);
    expect(splitOutputNames(',')).toEqual([]);
  });
});

describe('per-event keywords (spec §3.1 step 8, §3.4, §3.5, §3.7)', () => {
  const read = (cmd: string) => readEventOptions(tokenize(cmd));

  it('defaults to all cores and processes, stage pre, immediate, no buffer', () => {
    expect(read('!cpuid')).toMatchObject({
      ok: true,
      value: {
        values: {
          core: 0xffffffff,
          pid: 0xffffffff,
          stage: 'pre',
          shortCircuit: false,
          immediate: true,
          requestBuffer: 0,
        },
      },
    });
  });

  it('reads values as hex, lets the last keyword win, and claims keywords with their values', () => {
    const r = read('!cpuid pid 4 buffer 100 pid 0n8 core 2 imm no stage all');
    expect(r).toMatchObject({
      ok: true,
      value: {
        values: { pid: 8, requestBuffer: 0x100, core: 2, immediate: false, stage: 'all' },
      },
    });
    if (r.ok) expect(r.value.claimed.size).toBe(12);
    expect(read('!cpuid pid all')).toMatchObject({ value: { values: { pid: 0xffffffff } } });
  });

  it('takes the next token as the value, even another keyword', () => {
    expect(read('!cpuid pid core 1')).toEqual({ ok: false, error: 'err, pid is invalid\n' });
  });

  it('prints the v0.23 message for each invalid value', () => {
    expect(read('!cpuid core x1g')).toMatchObject({ error: 'err, core id is invalid\n' });
    expect(read('!cpuid imm maybe')).toMatchObject({
      error: 'err, immediate messaging token is invalid\n',
    });
    expect(read('!cpuid stage middle')).toMatchObject({
      error:
        "err, the specified execution mode is invalid; you can either choose 'pre' or 'post'\n",
    });
    expect(read('!cpuid sc maybe')).toMatchObject({
      error:
        "err, the specified short-circuiting state is invalid; you can either choose 'on' or 'off'\n",
    });
    expect(read('!cpuid buffer 100000000')).toMatchObject({
      error: 'err, buffer size is invalid\n',
    });
  });

  it('asks for a value when a keyword ends the command', () => {
    expect(read('!cpuid core')).toEqual({
      ok: false,
      error: "err, please specify a value for 'core'\n",
    });
  });

  it('refuses short-circuiting with a post or all stage', () => {
    const message =
      "err, using the short-circuiting mechanism with 'post' or 'all' stage events doesn't make sense; it's not supported!\n";
    expect(read('!cpuid sc on stage post')).toEqual({ ok: false, error: message });
    expect(read('!cpuid stage all sc on')).toEqual({ ok: false, error: message });
    expect(read('!cpuid sc on stage pre').ok).toBe(true);
  });
});
