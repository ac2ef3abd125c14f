// The dependency rules bite: each forbidden import in the fixtures fails the lint at the path it
// pretends to live at, and the allowed twin of each passes (so the rule is not just noise).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const fixturesDir = join(repoRoot, 'test/fixtures/lint');

/** Each fixture's first line says where it pretends to live and whether it must fail. */
interface Fixture {
  readonly name: string;
  readonly path: string;
  readonly expect: 'error' | 'clean';
  readonly code: string;
}

function fixtures(): Fixture[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.txt'))
    .map((name) => {
      const code = readFileSync(join(fixturesDir, name), 'utf8');
      const m = /^\/\/ lint-as: (\S+) expect: (error|clean)/.exec(code);
      if (!m)
        throw new Error(`${name}: first line must be "// lint-as: <path> expect: error|clean"`);
      return { name, path: m[1] as string, expect: m[2] as 'error' | 'clean', code };
    });
}

describe('architecture boundaries (ESLint import zones)', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const all = fixtures();

  it('has fixtures for every rule in both directions', () => {
    expect(all.filter((f) => f.expect === 'error').length).toBeGreaterThanOrEqual(8);
    expect(all.filter((f) => f.expect === 'clean').length).toBeGreaterThanOrEqual(4);
  });

  for (const f of all) {
    it(`${f.name}: ${f.expect === 'error' ? 'is refused' : 'is allowed'} at ${f.path}`, async () => {
      const [result] = await eslint.lintText(f.code, { filePath: join(repoRoot, f.path) });
      const restricted = (result?.messages ?? []).filter(
        (m) => m.ruleId === 'no-restricted-imports',
      );
      if (f.expect === 'error')
        expect(restricted.length, JSON.stringify(result?.messages)).toBeGreaterThan(0);
      else expect(restricted, JSON.stringify(restricted)).toEqual([]);
    });
  }
});
