// How hyperdbg-cli reads a line: the multi-line check (spec §1.3) and the `events` listing text
// (spec §4, whose examples are the expected values here).
import { describe, expect, it } from 'vitest';
import {
  cliTokenSpans,
  cliWaitsForMore,
  eventsListingText,
} from '../../../shared/hyperdbg/cliLine';

describe('cliWaitsForMore (CheckMultilineCommand, spec §1.3)', () => {
  it('waits on an unclosed brace or quote', () => {
    expect(cliWaitsForMore('!syscall script {')).toBe(true);
    expect(cliWaitsForMore('!syscall script { printf("x')).toBe(true);
    expect(cliWaitsForMore('.sympath "SRV*c:\\Symbols')).toBe(true);
  });

  it('does not count braces inside strings, escaped quotes, or a } below zero', () => {
    expect(cliWaitsForMore('!syscall script { printf("}"); }')).toBe(false);
    expect(cliWaitsForMore('!syscall script { printf("{"); }')).toBe(false);
    expect(cliWaitsForMore('print("a\\"b")')).toBe(false);
    expect(cliWaitsForMore('print("a\\\\")')).toBe(false);
    expect(cliWaitsForMore('}}} events')).toBe(false);
    expect(cliWaitsForMore('!syscall 55 code {9090}')).toBe(false);
  });
});

describe('eventsListingText (spec §4)', () => {
  it("reproduces the spec's first example: braces dropped, inner spaces kept, trailing space", () => {
    expect(
      eventsListingText('!syscall 55 pid 4 buffer 40 code {9090} script { printf("x\\n"); }'),
    ).toBe('!syscall 55 pid 4 buffer 40 code 9090 script  printf("x\\n");  ');
  });

  it("reproduces the spec's second example: cut to 70 characters and '...'", () => {
    expect(
      eventsListingText(
        '!epthook nt!NtCreateFile script {   printf("pid %x name %s\\n", $pid, $pname); }',
      ),
    ).toBe('!epthook nt!NtCreateFile script    printf("pid %x name %s\\n", $pid, $p...');
  });

  it('drops the quotes of a quoted token and keeps a short text whole', () => {
    expect(eventsListingText('a "b c" d')).toBe('a b c d ');
    expect(eventsListingText('!tsc')).toBe('!tsc ');
    expect(eventsListingText('x'.repeat(70))).toBe(`${'x'.repeat(70)}...`);
    expect(eventsListingText('x'.repeat(69))).toBe(`${'x'.repeat(69)} `);
  });
});

describe('cliTokenSpans (CommandParser token boundaries, spec §1.3)', () => {
  const tokens = (line: string) =>
    cliTokenSpans(line).map((t) => [t.kind, line.slice(t.start, t.end)]);

  it('splits on spaces only; a brace block and a quoted string are one token each', () => {
    expect(tokens('!syscall  55 script { printf("}"); } "a b"\tc')).toEqual([
      ['word', '!syscall'],
      ['word', '55'],
      ['word', 'script'],
      ['brace', '{ printf("}"); }'],
      ['string', '"a b"'],
      // TAB is not a separator (spec §1.3).
      ['word', '\tc'],
    ]);
  });

  it('ends a word at an opening brace, counts nested braces, skips escaped quotes', () => {
    expect(tokens('code{90} x')).toEqual([
      ['word', 'code'],
      ['brace', '{90}'],
      ['word', 'x'],
    ]);
    expect(tokens('{ if (1) { x; } } y')).toEqual([
      ['brace', '{ if (1) { x; } }'],
      ['word', 'y'],
    ]);
    expect(tokens('"a\\"b" c')).toEqual([
      ['string', '"a\\"b"'],
      ['word', 'c'],
    ]);
  });

  it('lets an unclosed block or string run to the end of the line', () => {
    expect(tokens('a { b')).toEqual([
      ['word', 'a'],
      ['brace', '{ b'],
    ]);
    expect(eventsListingText('a { b')).toBe('a  b ');
    expect(eventsListingText('a "b')).toBe('a b ');
  });
});
