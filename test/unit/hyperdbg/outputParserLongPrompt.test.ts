// A prompt glued to a line longer than the parser's line cap (output with no newline, then the
// CLI's prompt: spec §1.5-1.6) gives the same items wherever the stream is cut: the long line in
// capped pieces, then the prompt, then what follows.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LINE_BYTES } from '../../../shared/hyperdbg/outputParser';
import { parseChunks, rng, randomChunks, splitAt, utf8 } from './parserHelpers';

const CAP = 64;

function sameEverySplit(text: string, maxLineBytes: number, splits: Iterable<number>): void {
  const bytes = utf8(text);
  const whole = parseChunks([bytes], { options: { maxLineBytes } });
  for (const k of splits) {
    const split = parseChunks(splitAt(bytes, k), { options: { maxLineBytes } });
    expect(split, `split at ${k}`).toEqual(whole);
  }
}

describe('output parser: a prompt glued to an over-long line', () => {
  const cases: [string, string][] = [
    ['line then prompt, nothing after', `${'x'.repeat(150)}HyperDbg> `],
    [
      'line then prompt then the next output',
      `${'x'.repeat(150)}HyperDbg> events\nno active/disabled events \n\nHyperDbg> `,
    ],
    ['exactly the cap then prompt', `${'y'.repeat(CAP)}HyperDbg> \n`],
    ['two caps then a Debugger Mode prompt', `${'z'.repeat(2 * CAP + 3)}0: kHyperDbg> `],
    ['multi-byte characters across the cut', `${'é'.repeat(70)}HyperDbg> ok\n`],
    ['continuation prompts too', `${'w'.repeat(100)}HyperDbg> > > \n`],
  ];
  for (const [name, text] of cases)
    it(`${name}: same items at every split point`, () => {
      const whole = parseChunks([utf8(text)], { options: { maxLineBytes: CAP } });
      expect(whole.some((i) => i.type === 'prompt')).toBe(true);
      sameEverySplit(
        text,
        CAP,
        Array.from({ length: utf8(text).length + 1 }, (_, k) => k),
      );
    });

  it("finds the prompt and a sync marker's answer after a line over 64 KiB", () => {
    const marker = '__hdbg_sync_0123456789abcdef';
    const text = `${'v'.repeat(DEFAULT_MAX_LINE_BYTES + 123)}HyperDbg> err, couldn't resolve command at '${marker}'\n\nHyperDbg> `;
    const items = parseChunks([utf8(text)]);
    const types = items.map((i) => i.type);
    expect(types.slice(-4)).toEqual(['prompt', 'error', 'text', 'prompt']);
    const pieces = items.filter((i) => i.type === 'text' && i.text !== '');
    expect(pieces.map((i) => (i as unknown as { text: string }).text).join('')).toBe(
      'v'.repeat(DEFAULT_MAX_LINE_BYTES + 123),
    );
    expect(items.find((i) => i.type === 'error')).toMatchObject({
      code: 'unknown-command',
      args: [marker],
    });
  });

  it('random chunkings of a line over 64 KiB glued to a prompt give the same items', () => {
    const text = `${'v'.repeat(DEFAULT_MAX_LINE_BYTES + 5000)}HyperDbg> .status\nlocal debugging ('vmi mode')\n\nHyperDbg> `;
    const bytes = utf8(text);
    const whole = parseChunks([bytes]);
    const rand = rng(64);
    for (let round = 0; round < 30; round++)
      expect(parseChunks(randomChunks(bytes, rand, 20_000)), `round ${round}`).toEqual(whole);
    const near = [
      DEFAULT_MAX_LINE_BYTES - 1,
      DEFAULT_MAX_LINE_BYTES,
      DEFAULT_MAX_LINE_BYTES + 5000,
      DEFAULT_MAX_LINE_BYTES + 5005,
      DEFAULT_MAX_LINE_BYTES + 5010,
    ];
    for (const k of near) expect(parseChunks(splitAt(bytes, k)), `split at ${k}`).toEqual(whole);
  });
});
