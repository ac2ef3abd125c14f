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

const typed = (cmd: string) => tokenize(cmd).map((t) => [t.type, t.text]);

describe('tokenizer quirks (spec §1.3), one state at a time', () => {
  it('keeps leading and trailing newlines of a block, and counts nested braces', () => {
    expect(typed('!syscall script {\nif (1) { print(1); }\n}')).toEqual([
      ['string', '!syscall'],
      ['string', 'script'],
      ['bracket', '\nif (1) { print(1); }\n'],
    ]);
  });

  it('makes an empty block an empty bracket token, so `code {}` stays in the command (spec §3.2 rule 2)', () => {
    expect(typed('!cpuid code {}')).toEqual([
      ['string', '!cpuid'],
      ['string', 'code'],
      ['bracket', ''],
    ]);
  });

  it('ends a word at a glued `{` or `"`; a word before a quote is a String even when it reads as a number', () => {
    expect(typed('script{x}')).toEqual([
      ['string', 'script'],
      ['bracket', 'x'],
    ]);
    expect(typed('10{x}')[0]).toEqual(['num', '10']);
    expect(typed('10"a b"')).toEqual([
      ['string', '10'],
      ['literal', 'a b'],
    ]);
  });

  it('keeps a literal untrimmed and drops an empty one', () => {
    expect(typed('x " a " "" y')).toEqual([
      ['string', 'x'],
      ['literal', ' a '],
      ['string', 'y'],
    ]);
  });

  it('leaves \\" inside braces as typed: quotes are kept there (spec §1.3)', () => {
    expect(typed('s { printf("a\\"}"); }')[1]).toEqual(['bracket', ' printf("a\\"}"); ']);
  });

  it('ends a // comment at the newline and keeps scanning after it', () => {
    expect(texts('a // comment\nb')).toEqual(['a', 'b']);
  });

  it('ends a // comment inside braces at the closing brace, keeping its text for the script engine', () => {
    expect(typed('!syscall script { print(1); // note }')).toEqual([
      ['string', '!syscall'],
      ['string', 'script'],
      ['bracket', ' print(1); // note '],
    ]);
    expect(typed('s {\nx; // one\ny;\n}')[1]).toEqual(['bracket', '\nx; // one\ny;\n']);
  });

  it('does not end a // comment inside braces at a brace in a quoted string after it', () => {
    expect(typed('s { x; //"}" still comment }')[1]).toEqual([
      'bracket',
      ' x; //"}" still comment ',
    ]);
  });

  it('keeps a /* */ comment inside braces and drops it outside; an unclosed /* is text', () => {
    expect(typed('s { /* } */ x }')[1]).toEqual(['bracket', ' /* } */ x ']);
    expect(texts('g /* open')).toEqual(['g', '/*', 'open']);
  });

  it('does not start a comment inside a quoted literal', () => {
    expect(typed('.sympath "SRV*c:\\Symbols*https://msdl"')[1]).toEqual([
      'literal',
      'SRV*c:\\Symbols*https://msdl',
    ]);
  });

  it('turns an unclosed block or quote into an ordinary word', () => {
    expect(typed('s { 10')).toEqual([
      ['string', 's'],
      ['num', '10'],
    ]);
    expect(typed('s "a b')).toEqual([
      ['string', 's'],
      ['string', 'a b'],
    ]);
  });

  it('drops the backslash of \\{ and \\} outside strings, without opening or closing a block', () => {
    expect(texts('a\\{b')).toEqual(['a{b']);
    expect(typed('s { a \\} b }')[1]).toEqual(['bracket', ' a } b ']);
  });

  it('lets a // comment inside braces unescape a later \\} so that it closes the block (v0.23 behaviour)', () => {
    // Not in the spec: the comment's search for its closing brace consumes the backslash.
    expect(typed('s { // c\nx \\} y }')).toEqual([
      ['string', 's'],
      ['bracket', ' // c\nx '],
      ['string', 'y'],
      ['string', '}'],
    ]);
    expect(typed('s { x \\} y }')[1]).toEqual(['bracket', ' x } y ']);
  });

  it('drops a typed \\n where no token has started, and ends a // comment at one', () => {
    expect(texts('\\nabc')).toEqual(['abc']);
    expect(texts('g // c\\nx')).toEqual(['g', 'x']);
    expect(texts('a\\nb')).toEqual(['a\\nb']);
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

  it('takes a prefix in either case, only at the start, and one at most', () => {
    expect(parseUInt64('0X1f')).toBe(0x1fn);
    expect(parseUInt64('X1f')).toBe(0x1fn);
    expect(parseUInt64('\\X1f')).toBe(0x1fn);
    expect(parseUInt64('0N10')).toBe(10n);
    expect(parseUInt64('N10')).toBe(10n);
    expect(parseUInt64('0x0x1')).toBeNull();
    expect(parseUInt64('10x')).toBeNull();
    expect(parseUInt64('0x')).toBeNull();
    expect(parseUInt64('n')).toBeNull();
  });

  it('saturates hex wider than 64 bits but refuses decimal that does not fit', () => {
    expect(parseUInt64('1ffffffffffffffff')).toBe(0xffffffffffffffffn);
    expect(parseUInt64('0n18446744073709551615')).toBe(0xffffffffffffffffn);
    expect(parseUInt64('0n18446744073709551616')).toBeNull();
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

describe('multi-line quirks (spec §1.3 step 4)', () => {
  it('ignores an escaped quote but not a quote after an escaped backslash', () => {
    const m = new MultilineTracker();
    // typed: x "a\\"  (the backslashes pair up, the quote closes)
    expect(m.feed('x "a\\\\"', true)).toBe(false);
    // typed: x "a\"  (the quote is escaped, the string stays open)
    expect(m.feed('x "a\\"', true)).toBe(true);
  });

  it('still counts an escaped brace outside strings (only quotes honour the escape)', () => {
    expect(new MultilineTracker().feed('x \\{', true)).toBe(true);
  });

  it('never lets a stray } make the count negative, and carries state only without reset', () => {
    const m = new MultilineTracker();
    expect(m.feed('} {', true)).toBe(true);
    expect(m.feed('x', false)).toBe(true);
    expect(m.feed('x', true)).toBe(false);
  });
});
