// The output parser under hostile input: random bytes, escape-sequence fragments, partial lines,
// a 10 MB line without a newline. It never throws, keeps its memory bounded, loses no text, and
// gives the same items however the stream is cut (for lines within the cap).
import { describe, expect, it } from 'vitest';
import type { ParserItem } from '../../../shared/hyperdbg/items';
import { DEFAULT_MAX_LINE_BYTES } from '../../../shared/hyperdbg/outputParser';
import { newParser, parseChunks, randomChunks, rng, utf8 } from './parserHelpers';

const FUZZ_ROUNDS = 200;

function pushAll(
  chunks: readonly Uint8Array[],
  maxLineBytes?: number,
): { items: ParserItem[]; maxBuffered: number } {
  const p = newParser(maxLineBytes !== undefined ? { options: { maxLineBytes } } : {});
  const items: ParserItem[] = [];
  let maxBuffered = 0;
  for (const c of chunks) {
    items.push(...p.push(c));
    maxBuffered = Math.max(maxBuffered, p.bufferedBytes());
  }
  items.push(...p.end());
  expect(p.bufferedBytes()).toBe(0);
  return { items, maxBuffered };
}

/** Pieces of what hyperdbg-cli under ConPTY may send, to be shuffled into soup. */
const SOUP = [
  'HyperDbg> ',
  '0: kHyperDbg> ',
  '> ',
  '\n',
  '\r\n',
  '\r',
  'HDBG1 3 1 55 8 4847464544434241\n',
  'HDBG1 0 0 0 9 1\n',
  'HDBG',
  "err, couldn't resolve command at 'x'\n",
  '0\t(enabled)\t    !cpuid script {}\n',
  '\x1b[',
  '\x1b[31m',
  '\x1b[0m',
  '\x1b[5;1H',
  '\x1b[4C',
  '\x1b]0;title\x07',
  '\x1b]0;unterminated',
  '\x1b\\',
  '\x1b(B',
  '\x1b',
  'é',
  '✓',
  '\u{1F600}',
  'plain text ',
  '(12:01:02.345 - core : 3 - vmx-root? yes)\t [+] Information (F:1) | m\n',
  'event 0x3 triggered (pre)\n',
];

describe('output parser: fuzzing', () => {
  it('never throws on random bytes in random chunks, and stays bounded', () => {
    const rand = rng(1);
    const cap = 256;
    for (let round = 0; round < FUZZ_ROUNDS; round++) {
      const bytes = new Uint8Array(1 + Math.floor(rand() * 4000));
      for (let i = 0; i < bytes.length; i++) {
        // Bias towards the bytes the parser treats specially.
        const r = rand();
        bytes[i] =
          r < 0.05
            ? 0x0a
            : r < 0.08
              ? 0x0d
              : r < 0.12
                ? 0x1b
                : r < 0.14
                  ? 0x5b
                  : Math.floor(rand() * 256);
      }
      const { maxBuffered } = pushAll(randomChunks(bytes, rand, 1 + Math.floor(rand() * 300)), cap);
      expect(maxBuffered).toBeLessThanOrEqual(cap);
    }
  });

  it('gives the same items for console soup however it is cut', () => {
    const rand = rng(2);
    for (let round = 0; round < FUZZ_ROUNDS; round++) {
      let s = '';
      const pieces = 5 + Math.floor(rand() * 60);
      for (let i = 0; i < pieces; i++) s += SOUP[Math.floor(rand() * SOUP.length)] as string;
      const bytes = utf8(s);
      const whole = parseChunks([bytes]);
      for (let cut = 0; cut < 5; cut++) {
        const got = parseChunks(randomChunks(bytes, rand, 1 + Math.floor(rand() * 16)));
        if (JSON.stringify(got) !== JSON.stringify(whole))
          expect({ transcript: s, got }).toEqual({ transcript: s, got: whole });
      }
    }
  });

  it('loses no text: every plain line comes back as exactly one item with that text', () => {
    const rand = rng(3);
    // No H (no prompt, no record), no ( or > (no events row, kernel log, prompt), no ESC or CR.
    const alphabet = 'abcdefgijklmnopqrstuvwxyz0123456789 ,.:;!?\'"{}[]\t%$@éü✓';
    const chars = [...alphabet];
    for (let round = 0; round < 50; round++) {
      const lines: string[] = [];
      for (let l = 0; l < 40; l++) {
        let line = '';
        const n = Math.floor(rand() * 120);
        for (let i = 0; i < n; i++) line += chars[Math.floor(rand() * chars.length)] as string;
        lines.push(line);
      }
      const bytes = utf8(`${lines.join('\n')}\n`);
      const { items } = pushAll(randomChunks(bytes, rand, 64));
      expect(items.map((i) => ('text' in i ? i.text : `<${i.type}>`))).toEqual(lines);
    }
  });

  it('cuts a 10 MB line without a newline into bounded pieces and keeps every byte', () => {
    const size = 10 * 1024 * 1024;
    const line = 'é'.repeat(size / 2); // two bytes each: cuts must not split them
    const bytes = utf8(line);
    for (const chunkSize of [bytes.length, 64 * 1024, 4099]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += chunkSize)
        chunks.push(bytes.subarray(i, i + chunkSize));
      const p = newParser();
      let maxBuffered = 0;
      const pieces: string[] = [];
      const flags: string[] = [];
      for (const c of chunks) {
        for (const it of p.push(c)) {
          if (it.type !== 'text') throw new Error(`unexpected ${it.type}`);
          pieces.push(it.text);
          flags.push(`${it.truncated === true ? 'T' : '-'}${it.continued === true ? 'C' : '-'}`);
        }
        maxBuffered = Math.max(maxBuffered, p.bufferedBytes());
      }
      for (const it of p.end())
        if (it.type === 'text') {
          pieces.push(it.text);
          flags.push(`${it.truncated === true ? 'T' : '-'}${it.continued === true ? 'C' : '-'}`);
        }
      expect(maxBuffered).toBeLessThanOrEqual(DEFAULT_MAX_LINE_BYTES);
      expect(pieces.join('')).toBe(line);
      expect(pieces.every((t) => !t.includes('\uFFFD'))).toBe(true);
      expect(pieces.every((t) => utf8(t).length <= DEFAULT_MAX_LINE_BYTES)).toBe(true);
      expect(flags[0]).toBe('T-');
      expect(flags.slice(1, -1).every((f) => f === 'TC')).toBe(true);
      expect(flags.at(-1)).toBe('-C');
      expect(p.stats.truncated).toBe(pieces.length - 1);
    }
  });

  it('goes back to normal after an over-long line', () => {
    const long = 'x'.repeat(300);
    const items = parseChunks([`${long}\nHDBG1 0 0 0 1 5\n`], { options: { maxLineBytes: 100 } });
    expect(items.map((i) => i.type)).toEqual(['text', 'text', 'text', 'record']);
    expect(
      items
        .slice(0, 3)
        .map((i) => i.text)
        .join(''),
    ).toBe(long);
  });

  it('survives hostile escape sequences: endless OSC, endless CSI, huge cursor moves', () => {
    const osc = `\x1b]0;${'t'.repeat(1024 * 1024)}`;
    const { items: a, maxBuffered: ma } = pushAll([utf8(`${osc}\nafter\n`)]);
    expect(ma).toBeLessThanOrEqual(DEFAULT_MAX_LINE_BYTES);
    expect(a.at(-1)).toEqual({ type: 'text', text: 'after' });

    const csi = `\x1b[${'1'.repeat(1024 * 1024)}m`;
    const { items: b } = pushAll([utf8(`${csi}\nafter\n`)]);
    expect(b.at(-1)).toEqual({ type: 'text', text: 'after' });

    const moves = '\x1b[99999C'.repeat(10_000);
    const { items: c, maxBuffered: mc } = pushAll(
      randomChunks(utf8(`${moves}\nafter\n`), rng(4), 5000),
    );
    expect(mc).toBeLessThanOrEqual(DEFAULT_MAX_LINE_BYTES);
    expect(c.at(-1)).toEqual({ type: 'text', text: 'after' });
  });

  it('never throws on a flood of partial records and prompts', () => {
    const rand = rng(5);
    const p = newParser({ options: { wrapWidth: 80 } });
    for (let i = 0; i < 20_000; i++) {
      const piece = SOUP[Math.floor(rand() * SOUP.length)] as string;
      p.push(piece.slice(0, 1 + Math.floor(rand() * piece.length)));
      expect(p.bufferedBytes()).toBeLessThanOrEqual(DEFAULT_MAX_LINE_BYTES);
    }
    p.end();
  });
});
