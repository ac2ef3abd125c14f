// The output parser against transcripts of every message family (spec strings, transcripts.ts):
// whole, split at every byte boundary, and cut into random chunks, each giving the same items.
import { describe, expect, it } from 'vitest';
import { parseChunks, randomChunks, rng, splitAt, utf8, newParser } from './parserHelpers';
import { FAMILIES, WRAP_FAMILY, type Family } from './transcripts';

const ALL: readonly Family[] = [...FAMILIES, WRAP_FAMILY];
/** Random cuttings tried per family on top of every two-piece split. */
const RANDOM_CUTTINGS = 25;

describe('output parser: message families from the spec', () => {
  for (const family of ALL) {
    describe(family.name, () => {
      const bytes = utf8(family.transcript);

      it('gives the expected items for the whole transcript', () => {
        expect(parseChunks([family.transcript], family)).toEqual(family.expected);
      });

      it('gives the same items when split at every byte boundary', () => {
        for (let k = 0; k <= bytes.length; k++) {
          const got = parseChunks(splitAt(bytes, k), family);
          if (JSON.stringify(got) !== JSON.stringify(family.expected))
            expect({ splitAt: k, items: got }).toEqual({ splitAt: k, items: family.expected });
        }
      });

      it('gives the same items when cut into random small chunks', () => {
        const rand = rng(bytes.length);
        for (let r = 0; r < RANDOM_CUTTINGS; r++) {
          const chunks = randomChunks(bytes, rand, 1 + (r % 9));
          expect(parseChunks(chunks, family)).toEqual(family.expected);
        }
      });
    });
  }

  it('counts what it saw', () => {
    const malformed = FAMILIES.find((f) => f.name.includes('malformed records'));
    const p = newParser();
    p.push(malformed?.transcript ?? '');
    p.end();
    expect(p.stats.malformed).toBe(10);
    expect(p.stats.records).toBe(0);
    expect(p.stats.lines).toBe(10);
  });

  it('is one stream: all families back to back, split anywhere, give the same items', () => {
    const transcript = ALL.filter((f) => f.options === undefined && f.echoes === undefined)
      .map((f) => f.transcript)
      .join('\n');
    const bytes = utf8(transcript);
    const whole = parseChunks([bytes]);
    expect(whole.length).toBeGreaterThan(200);
    const rand = rng(7);
    for (let r = 0; r < 40; r++)
      expect(parseChunks(randomChunks(bytes, rand, 1 + r * 13))).toEqual(whole);
    for (let k = 0; k <= bytes.length; k += 7)
      expect(parseChunks(splitAt(bytes, k))).toEqual(whole);
  });
});

describe('output parser: details', () => {
  it('emits a prompt as soon as it arrives, without waiting for a newline', () => {
    const p = newParser();
    expect(p.push('local debugging (vmi-mode)\n\nHyper')).toEqual([
      { type: 'status', code: 'connected-local', text: 'local debugging (vmi-mode)', args: [] },
      { type: 'text', text: '' },
    ]);
    expect(p.push('Dbg> ')).toEqual([{ type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' }]);
    expect(p.bufferedBytes()).toBe(0);
  });

  it('keeps a UTF-8 character split across chunks whole', () => {
    const bytes = utf8('pid 4 name Ünïcødé ✓\n');
    for (let k = 0; k <= bytes.length; k++)
      expect(parseChunks(splitAt(bytes, k))).toEqual([
        { type: 'text', text: 'pid 4 name Ünïcødé ✓' },
      ]);
  });

  it('reads a record that arrives one byte at a time', () => {
    const bytes = utf8('HDBG1 3 1 55 8 4847464544434241\n');
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect(parseChunks(chunks)).toEqual([
      {
        type: 'record',
        eventId: '3',
        core: '1',
        context: '55',
        length: '8',
        bytes: '4142434445464748',
      },
    ]);
  });

  it('forgets expected echoes that a finished sync marker shows will never come (spec §1.8)', () => {
    const p = newParser({ echoes: ['events', '__hdbg_sync_0003'] });
    const items = p.push(
      "HyperDbg> no active/disabled events \n\nHyperDbg> err, couldn't resolve command at '__hdbg_sync_0003'\n\nHyperDbg> events\n",
    );
    expect(items.map((i) => i.type)).toEqual([
      'prompt',
      'status',
      'text',
      'prompt',
      'error',
      'text',
      'prompt',
      'text',
    ]);
    expect(p.stats.echoesDropped).toBe(2);
    expect(p.stats.echoes).toBe(0);
  });

  it("finds conhost's echo at the end of text a printf left open, unless the whole line is the CLI's", () => {
    expect(parseChunks(['HyperDbg> ', 'pid 4 .status\r\n'], { echoes: ['.status'] })).toEqual([
      { type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' },
      { type: 'text', text: 'pid 4 ' },
      { type: 'echo', text: '.status' },
    ]);
    // Too short an echo is not looked for inside other text.
    expect(parseChunks(['HyperDbg> abcg\r\n'], { echoes: ['g'] })).toEqual([
      { type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' },
      { type: 'text', text: 'abcg' },
    ]);
  });

  it('ConPTY: a trimmed prompt is emitted at once; its space, arriving later, is not taken for text', () => {
    const p = newParser({ echoes: ['.status'] });
    expect(p.push('HyperDbg>')).toEqual([{ type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' }]);
    expect(p.push(' .status\r\n')).toEqual([{ type: 'echo', text: '.status' }]);
  });

  it('ConPTY: a repaint from column 1 (CHA) is the same prompt, counted as a repaint; a prompt after an empty line is new', () => {
    const p = newParser({ echoes: ['events'] });
    const first = p.push('HyperDbg> ');
    const repaint = p.push('\x1b[1GHyperDbg> events\x1b[K\r\n');
    expect([...first, ...repaint]).toEqual([
      { type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' },
      { type: 'echo', text: 'events' },
    ]);
    expect(p.stats).toMatchObject({ prompts: 1, repaints: 1 });
    // Ctrl+C in getline: "\n\n" and the prompt again (spec §1.7): a real second prompt.
    expect(p.push('\r\n\r\nHyperDbg> ').map((i) => i.type)).toEqual(['text', 'text', 'prompt']);
    expect(p.stats).toMatchObject({ prompts: 2, repaints: 1 });
  });

  it('a pipe (no echoes): a command that prints nothing leaves two real prompts back to back', () => {
    const P = { type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' };
    const transcript =
      "HyperDbg> \nHyperDbg> err, couldn't resolve command at '__hdbg_sync_0002'\n\nHyperDbg> ";
    const expected = [
      P,
      P,
      {
        type: 'error',
        code: 'unknown-command',
        text: "err, couldn't resolve command at '__hdbg_sync_0002'",
        args: ['__hdbg_sync_0002'],
      },
      { type: 'text', text: '' },
      P,
    ];
    // The session expects echoes that a pipe never gives: still two prompts, however it is cut.
    const setup = { echoes: ['!syscall script {print(1);}', '__hdbg_sync_0002'] };
    const bytes = utf8(transcript);
    for (let k = 0; k <= bytes.length; k++)
      expect(parseChunks(splitAt(bytes, k), setup), `split at ${k}`).toEqual(expected);
    expect(parseChunks([transcript])).toEqual(expected);
  });

  it('does not take output for an echo when it differs from the sent line', () => {
    const items = parseChunks(['HyperDbg> eventsx\n'], { echoes: ['events'] });
    expect(items).toEqual([
      { type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' },
      { type: 'text', text: 'eventsx' },
    ]);
  });

  it('keeps at most a bounded queue of expected echoes', () => {
    const p = newParser();
    for (let i = 0; i < 1000; i++) p.expectEcho(`cmd ${i}`);
    expect(p.stats.echoesDropped).toBe(1000 - 64);
    expect(p.push('HyperDbg> cmd 936\n')[1]).toEqual({ type: 'echo', text: 'cmd 936' });
  });

  it('is reusable after end()', () => {
    const p = newParser();
    p.push('HDBG1 0 0 0 1 f');
    expect(p.end()).toHaveLength(1);
    expect(p.bufferedBytes()).toBe(0);
    expect(p.push('HyperDbg> ')).toEqual([{ type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' }]);
  });

  it('accepts strings and bytes alike', () => {
    const line = 'HDBG1 1 2 3 1 ab\n';
    expect(parseChunks([line])).toEqual(parseChunks([utf8(line)]));
  });

  it('drops an escape sequence left open at the end of the stream', () => {
    expect(parseChunks(['abc\n\x1b[3'])).toEqual([{ type: 'text', text: 'abc' }]);
  });

  it('takes a cursor position move inside a line as a line break (ConPTY repaint)', () => {
    expect(parseChunks(['local debugging (vmi-mode)\x1b[5;1HHyperDbg> '])).toEqual([
      { type: 'status', code: 'connected-local', text: 'local debugging (vmi-mode)', args: [] },
      { type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' },
    ]);
  });
});
