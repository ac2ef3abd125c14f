// Pure pieces of the simulator's protocol layer: hyperdbg-cli's tokenizer, number parsing and
// multi-line detection (spec §1.3), checked against the spec's statements and examples.
import { describe, expect, it } from 'vitest';
import { MultilineTracker } from '../../../electron/sim/protocol/multiline';
import { isValidIp, parseUInt32, parseUInt64 } from '../../../electron/sim/protocol/numbers';
import { tokenize } from '../../../electron/sim/protocol/tokenizer';

const texts = (cmd: string) => tokenize(cmd).map((t) => t.text);

describe('tokenizer (spec §1.3)', () => {
  it('separates on spaces only: TAB stays inside the token [verified-harness]', () => {
    expect(texts('!epthook\tnt!Foo')).toEqual(['!epthook\tnt!Foo']);
    expect(texts('  events   e  1 ')).toEqual(['events', 'e', '1']);
  });

  it('keeps a { } block exactly as typed, as one bracket token', () => {
    const t = tokenize('!syscall code {  90 90 }');
    expect(t.map((x) => x.type)).toEqual(['string', 'string', 'bracket']);
    expect(t[2]?.text).toBe('  90 90 ');
  });

  it('keeps quotes inside braces, and a } inside a quoted string does not close [verified-harness]', () => {
    const t = tokenize('!syscall script { printf("}\\n"); }');
    expect(t[2]?.type).toBe('bracket');
    expect(t[2]?.text).toBe(' printf("}\\n"); ');
  });

  it('turns "..." outside braces into a literal without quotes, \\" becoming "', () => {
    const t = tokenize('.debug remote namedpipe "\\\\.\\pipe\\HyperDbg Pipe"');
    expect(t[3]).toEqual({
      type: 'literal',
      text: '\\\\.\\pipe\\HyperDbg Pipe',
      lower: '\\\\.\\pipe\\hyperdbg pipe',
    });
    expect(texts('x "a\\"b"')).toEqual(['x', 'a"b']);
  });

  it('starts a comment at an unquoted //, cutting URLs [verified-harness]', () => {
    expect(texts('.sympath SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols')).toEqual([
      '.sympath',
      'SRV*c:\\Symbols*https:',
    ]);
    expect(texts('g /* block */ x')).toEqual(['g', 'x']);
  });

  it('recognises numbers, including backticks and prefixes, as Num tokens', () => {
    const t = tokenize('!epthook fffff801`3c8f2d30 0n10 x1f nt!Foo');
    expect(t.map((x) => x.type)).toEqual(['string', 'num', 'num', 'num', 'string']);
  });

  it('does not treat # as a comment', () => {
    expect(texts('__x # not a comment')).toEqual(['__x', '#', 'not', 'a', 'comment']);
  });
});

describe('numbers (spec §1.3)', () => {
  it('is hex by default; 0x/x/\\x force hex, 0n/n/\\n decimal; backticks ignored', () => {
    expect(parseUInt64('10')).toBe(0x10n);
    expect(parseUInt64('0x10')).toBe(0x10n);
    expect(parseUInt64('x10')).toBe(0x10n);
    expect(parseUInt64('\\x10')).toBe(0x10n);
    expect(parseUInt64('0n10')).toBe(10n);
    expect(parseUInt64('n10')).toBe(10n);
    expect(parseUInt64('\\n10')).toBe(10n);
    expect(parseUInt64('fffff801`3c8f2d30')).toBe(0xfffff8013c8f2d30n);
    expect(parseUInt64('0n1a')).toBeNull();
    expect(parseUInt64('zz')).toBeNull();
    expect(parseUInt64('')).toBeNull();
  });

  it('rejects 32-bit values that do not fit', () => {
    expect(parseUInt32('ffffffff')).toBe(0xffffffff);
    expect(parseUInt32('100000000')).toBeNull();
  });

  it('checks IPs as four dotted decimal parts of 0-255 (spec §2.2)', () => {
    expect(isValidIp('192.168.1.5')).toBe(true);
    expect(isValidIp('192.168.1')).toBe(false);
    expect(isValidIp('256.1.1.1')).toBe(false);
    expect(isValidIp('a.b.c.d')).toBe(false);
  });
});

describe('multi-line commands (spec §1.3 step 4)', () => {
  it('continues while a { or a " is unclosed, ignoring escaped quotes and braces inside strings', () => {
    const m = new MultilineTracker();
    expect(m.feed('!syscall script {', true)).toBe(true);
    expect(m.feed('printf("{ \\" still in string");', false)).toBe(true);
    expect(m.feed('}', false)).toBe(false);
    expect(m.feed('x "open', true)).toBe(true);
    expect(m.feed('closed"', false)).toBe(false);
    expect(m.feed('plain', true)).toBe(false);
  });
});
