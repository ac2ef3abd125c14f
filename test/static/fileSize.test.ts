// No production module under electron/host grows past MAX_LINES (issue 12): a file that long
// holds more than one concern and should be split along its seams. The count is checked on
// fixture strings first, so the limit cannot pass by miscounting or by finding no files.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

/** Longest a production module under electron/host may be, in lines. */
const MAX_LINES = 600;
const HOST_DIR = 'electron/host';
/** Production sources: TypeScript, not tests or declarations. */
const SOURCE = /\.tsx?$/;
const NOT_SOURCE = /\.(test|spec)\.tsx?$|\.d\.ts$/;

/** Lines of a file's text: `wc -l`'s count, plus a last line that lacks its newline. */
function lineCount(text: string): number {
  if (text === '') return 0;
  const breaks = text.match(/\r\n|\n|\r/g)?.length ?? 0;
  return /[\r\n]$/.test(text) ? breaks : breaks + 1;
}

/** One line per file over the limit, naming it and its length. */
function oversized(files: readonly { readonly path: string; readonly text: string }[]): string[] {
  return files
    .map((f) => ({ path: f.path, lines: lineCount(f.text) }))
    .filter((f) => f.lines > MAX_LINES)
    .map((f) => `${f.path}: ${f.lines} lines (at most ${MAX_LINES})`);
}

/** The production sources under electron/host, repository-relative with `/`. */
function hostSources(): { path: string; text: string }[] {
  return readdirSync(join(repoRoot, HOST_DIR), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !NOT_SOURCE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .map((f) => ({
      path: relative(repoRoot, f).split('\\').join('/'),
      text: readFileSync(f, 'utf8'),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

const lines = (n: number) => 'x;\n'.repeat(n);

describe('file size of electron/host', () => {
  it('counts lines, the last one with or without its newline', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a')).toBe(1);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount('a\r\nb\r\n')).toBe(2);
    expect(lineCount('\n\n\n')).toBe(3);
    expect(lineCount(lines(MAX_LINES))).toBe(MAX_LINES);
  });

  it('names a file over the limit with its length, and only such a file', () => {
    expect(
      oversized([
        { path: 'electron/host/fits.ts', text: lines(MAX_LINES) },
        { path: 'electron/host/tooLong.ts', text: lines(MAX_LINES + 1) },
        { path: 'electron/host/noFinalNewline.ts', text: `${lines(MAX_LINES)}x;` },
      ]),
    ).toEqual([
      `electron/host/tooLong.ts: ${MAX_LINES + 1} lines (at most ${MAX_LINES})`,
      `electron/host/noFinalNewline.ts: ${MAX_LINES + 1} lines (at most ${MAX_LINES})`,
    ]);
  });

  it('sees the production sources, and no test or declaration files', () => {
    const paths = hostSources().map((f) => f.path);
    expect(paths).toContain('electron/host/session/sessionService.ts');
    expect(paths).toContain('electron/host/store/records/recordStore.ts');
    expect(paths.length).toBeGreaterThan(50);
    expect(paths.filter((p) => NOT_SOURCE.test(p) || !p.startsWith(`${HOST_DIR}/`))).toEqual([]);
  });

  it(`has no production file over ${MAX_LINES} lines`, () => {
    expect(oversized(hostSources())).toEqual([]);
  });
});
