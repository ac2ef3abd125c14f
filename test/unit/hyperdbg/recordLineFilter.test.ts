// The console's record-line filter: it hides exactly the lines the output parser takes for
// records (a valid HDBG1 line at a line start or right after a prompt, buffer-records §2) and
// nothing else, whatever the chunking; malformed record lines, prompts and answers stay.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRecordLine, RecordLineFilter } from '../../../shared/hyperdbg/recordLineFilter';
import { formatRecordLine } from '../../../shared/model/record';
import { repoRoot } from '../../helpers/paths';
import { parseChunks, rng } from './parserHelpers';

/** Whether the real parser reads `line` (ended by `\n`) as one record. */
function parserSaysRecord(line: string): boolean {
  const items = parseChunks([`${line}\n`]);
  return items.length === 1 && items[0]?.type === 'record';
}

function randomRecord(rand: () => number): string {
  const length = Math.floor(rand() * 40);
  const bytes = Uint8Array.from({ length }, () => Math.floor(rand() * 256));
  return formatRecordLine({
    eventId: Math.floor(rand() * 0x20),
    core: Math.floor(rand() * 8),
    context: BigInt(Math.floor(rand() * 2 ** 48)),
    length,
    bytes,
  });
}

/** One random edit: a character replaced, dropped or doubled. */
function mutate(line: string, rand: () => number): string {
  const i = Math.floor(rand() * line.length);
  const pick = ' 0fFg\t\r.x-'[Math.floor(rand() * 10)] as string;
  const op = Math.floor(rand() * 3);
  if (op === 0) return line.slice(0, i) + pick + line.slice(i + 1);
  if (op === 1) return line.slice(0, i) + line.slice(i + 1);
  return line.slice(0, i) + line[i] + line.slice(i);
}

const enc = new TextEncoder();
const text = (parts: readonly Uint8Array[]) => new TextDecoder().decode(Buffer.concat(parts));

/** The filter over text, as the terminal stream uses it over the pty's bytes. */
class TextFilter {
  readonly f = new RecordLineFilter();
  push(t: string): string {
    return text(this.f.push(enc.encode(t)));
  }
  flush(): string {
    return text([this.f.flush()]);
  }
  get hidden(): number {
    return this.f.hidden;
  }
}

function filterAll(chunks: readonly (string | Uint8Array)[]): { out: string; hidden: number } {
  const f = new RecordLineFilter();
  const parts: Uint8Array[] = [];
  for (const c of chunks) parts.push(...f.push(typeof c === 'string' ? enc.encode(c) : c));
  parts.push(f.flush());
  return { out: text(parts), hidden: f.hidden };
}

describe('isRecordLine', () => {
  it('agrees with the output parser on valid, edited and hand-made lines', () => {
    const rand = rng(13);
    const lines = [
      'HDBG1 0 0 0 0',
      'HDBG1 3 1 55 18 1122334455667788 99aabbccddeeff00 123456789abcdef0',
      'HDBG1 0 0 fffff8004ed6f010 0',
      'HDBG1 0 0 0 9 1',
      'HDBG1 0 0 0 1 1 1',
      'HDBG1 0 0 0 3e8',
      'HDBG1 0 0 0 3e7' + ' 0'.repeat(125),
      'HDBG1 0 0 0 00000008 ABCDEF',
      'HDBG1 111111111 0 0 0',
      'HDBG1  0 0 0 0',
      'HDBG2 0 0 0 0',
      'HDBG1',
      'hdbg1 0 0 0 0',
      // Whole 16-digit words (the filter's and the parser's shortcut) and near misses.
      'HDBG1 0 0 0 10 A1b2C3d4E5f60718 a1b2c3d4e5f60718',
      'HDBG1 0 0 0 8 a1b2c3d4e5f607181',
      'HDBG1 0 0 0 10 a1b2c3d4e5f607181 1',
      'HDBG1 0 0 0 8 a1b2c3d4e5f6071g',
      'HDBG1 0 0 0 8 a1b2c3d4 5f60718',
      'HDBG2 0 0 1 fffff8004ed6f010 10 a1b2c3d4e5f60718 ffffffffffffffff',
    ];
    for (let i = 0; i < 300; i++) {
      const line = randomRecord(rand);
      lines.push(line, mutate(line, rand), mutate(mutate(line, rand), rand));
    }
    let records = 0;
    for (const line of lines) {
      const expected = parserSaysRecord(line);
      if (expected) records++;
      expect(isRecordLine(line), JSON.stringify(line)).toBe(expected);
      // A CRLF line end (ConPTY) is still the same record to the parser.
      expect(isRecordLine(`${line}\r`), JSON.stringify(`${line}\r`)).toBe(
        parserSaysRecord(`${line}\r`),
      );
    }
    // The corpus holds both kinds in numbers.
    expect(records).toBeGreaterThan(300);
    expect(lines.length - records).toBeGreaterThan(250);
  });
});

describe('RecordLineFilter', () => {
  const transcript = readFileSync(
    join(repoRoot, 'test/fixtures/transcripts/vmi-session.txt'),
    'utf8',
  );

  it('hides the valid record after a prompt and keeps the malformed one and everything else', () => {
    const { out, hidden } = filterAll([transcript]);
    // The second HDBG1 line says length f (two words) but has one: malformed, shown.
    expect(hidden).toBe(1);
    expect(out).toBe(transcript.replace('HDBG1 0 2 55 f 2e74736f68637673 ff00000000657865\n', ''));
    expect(out).toContain('HyperDbg> HDBG1 0 3 55 f 2e74736f68637673\n');
  });

  it('gives the same text whatever the chunking', () => {
    const flood = [
      'HyperDbg> ',
      ...Array.from({ length: 20 }, (_, i) => `HDBG1 ${i} 0 0 8 ${i + 1}\n`),
      'HyperDbg> events\n',
      '0\t(enabled)\t    !syscall code {c3}\n',
      'HDBG1 1 0 0 8 1\n',
      'text HDBG1 1 0 0 8 1\n',
      '\nHyperDbg> ',
    ].join('');
    const whole = filterAll([flood]);
    expect(whole.hidden).toBe(21);
    expect(whole.out).toBe(
      'HyperDbg> HyperDbg> events\n0\t(enabled)\t    !syscall code {c3}\ntext HDBG1 1 0 0 8 1\n\nHyperDbg> ',
    );
    for (let k = 0; k <= flood.length; k++)
      expect(filterAll([flood.slice(0, k), flood.slice(k)]), `split at ${k}`).toEqual(whole);
    expect(filterAll([...flood])).toEqual(whole);
    const rand = rng(7);
    for (let n = 0; n < 50; n++) {
      const chunks: string[] = [];
      for (let i = 0; i < flood.length;) {
        const len = 1 + Math.floor(rand() * 40);
        chunks.push(flood.slice(i, i + len));
        i += len;
      }
      expect(filterAll(chunks)).toEqual(whole);
    }
  });

  it('holds a line only while it can still become a record', () => {
    const f = new TextFilter();
    expect(f.push('HDB')).toBe('');
    expect(f.push('G1 1 0 0 8 2')).toBe('');
    expect(f.push('\n')).toBe('');
    expect(f.hidden).toBe(1);
    expect(f.push('HDB')).toBe('');
    expect(f.push('X')).toBe('HDBX');
    // A prompt is never held: the user must see it at once.
    expect(new TextFilter().push('HyperDbg> ')).toBe('HyperDbg> ');
    // Longer than any record line can be: let go without waiting for its end.
    const g = new TextFilter();
    expect(g.push(`HDBG1 0 0 0 3e7${' 1'.repeat(2000)}`)).toContain('HDBG1 0 0 0 3e7');
    const h = new TextFilter();
    expect(h.push('HDBG1 0 0')).toBe('');
    expect(h.flush()).toBe('HDBG1 0 0');
  });

  it('looks through ConPTY escape sequences and keeps them', () => {
    const { out, hidden } = filterAll([
      '\x1b[?25lHDBG1 1 0 0 8 1\r\n\x1b[?25h',
      '\x1b[?25lHDBG1 1 0 0 8 2\r\n',
      'HyperDbg> \x1b[?25h',
    ]);
    expect(hidden).toBe(2);
    expect(out).toBe('\x1b[?25l\x1b[?25h\x1b[?25lHyperDbg> \x1b[?25h');
  });

  it('finds a prompt split across chunks and the record glued to it', () => {
    const { out, hidden } = filterAll(['Hyper', 'Dbg', '> HDBG1 2 0 0 8 3\n', 'done\n']);
    expect(hidden).toBe(1);
    expect(out).toBe('HyperDbg> done\n');
  });

  it('cuts only between whole characters: UTF-8 output split at every byte reads the same', () => {
    const flood = enc.encode(
      'Schlüssel «HDBG» ✓\nHyperDbg> HDBG1 1 0 0 8 1\nÄrger: 日本語 HDBG1 1 0 0 8 1\nHDBG1 2 0 0 0\nende\n',
    );
    const whole = filterAll([flood]);
    expect(whole).toEqual({
      out: 'Schlüssel «HDBG» ✓\nHyperDbg> Ärger: 日本語 HDBG1 1 0 0 8 1\nende\n',
      hidden: 2,
    });
    for (let k = 0; k <= flood.length; k++)
      expect(filterAll([flood.subarray(0, k), flood.subarray(k)]), `split at ${k}`).toEqual(whole);
  });
});
