// What ships carries no test-only code: no bundle in dist/ was built from a file under test/
// (read from each bundle's source map), and none holds a test-only contract entry. Runs on the
// dist/ that vitest's global setup built.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distDir, repoRoot } from '../helpers/paths';

/** The bundles that ship: every host's entry and the renderer's assets. */
const SHIPPED_DIRS = ['main', 'preload', 'cli', 'sim', 'web', 'renderer'];

/** Channels that existed only so transports could be tested; they must never be callable. */
const TEST_ONLY_CHANNELS = ['app:echo'];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

const shipped = SHIPPED_DIRS.flatMap((d) => filesUnder(join(distDir, d)));
const code = shipped.filter((f) => /\.(m?js|cjs)$/.test(f));
const maps = shipped.filter((f) => f.endsWith('.map'));

/** Repository-relative paths of the sources a bundle was built from. */
function sourcesOf(map: string): string[] {
  const parsed = JSON.parse(readFileSync(map, 'utf8')) as {
    sources?: string[];
    sourceRoot?: string;
  };
  const base = resolve(join(map, '..'), parsed.sourceRoot ?? '');
  return (parsed.sources ?? []).map((s) => relative(repoRoot, resolve(base, s)));
}

describe('production bundles', () => {
  it('are all dist/ holds: electron-builder ships the whole folder', () => {
    expect(readdirSync(distDir).filter((d) => !SHIPPED_DIRS.includes(d))).toEqual([]);
  });

  it('exist, each with a source map (so the next checks see every bundle)', () => {
    for (const d of SHIPPED_DIRS)
      expect(
        code.some((f) => f.startsWith(join(distDir, d))),
        `dist/${d}`,
      ).toBe(true);
    for (const f of code) expect(existsSync(`${f}.map`), `${f}.map`).toBe(true);
  });

  it('are built from no file under test/ (the in-memory client lives there)', () => {
    const fromTests: string[] = [];
    let total = 0;
    for (const map of maps) {
      const sources = sourcesOf(map);
      total += sources.length;
      for (const s of sources) if (s.split(/[\\/]/)[0] === 'test') fromTests.push(`${map}: ${s}`);
    }
    // The maps must really list the app's sources, or the check above proves nothing.
    expect(total).toBeGreaterThan(100);
    expect(maps.some((m) => sourcesOf(m).includes(join('shared', 'contract', 'dispatch.ts')))).toBe(
      true,
    );
    expect(fromTests).toEqual([]);
  });

  it('hold no test-only contract channel', () => {
    for (const f of code) {
      const text = readFileSync(f, 'utf8');
      for (const channel of TEST_ONLY_CHANNELS)
        expect(text.includes(channel), `${relative(repoRoot, f)} holds ${channel}`).toBe(false);
    }
  });
});
