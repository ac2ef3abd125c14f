// The lint rules bite: each forbidden import in the fixtures (static, export-from, dynamic
// import(), require(), type-only) fails the lint at the path it pretends to live at with the
// layers rule (lint/layers.mjs), each unhandled promise with the type-aware rule named, and the
// allowed twin of each passes (so the rule is not noise).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const fixturesDir = join(repoRoot, 'test/fixtures/lint');

/** The rule that carries the layer table of docs/DEVELOPING.md. */
const RULE = 'studio/layers';

/**
 * Each fixture's first line says where it pretends to live, whether it must fail, and which
 * rule it is about (the layers rule unless it says `rule: <id>`).
 */
interface Fixture {
  readonly name: string;
  readonly path: string;
  readonly expect: 'error' | 'clean';
  readonly rule: string;
  readonly code: string;
}

function fixtures(): Fixture[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.txt'))
    .map((name) => {
      const code = readFileSync(join(fixturesDir, name), 'utf8');
      const m = /^\/\/ lint-as: (\S+) expect: (error|clean)(?: rule: (\S+))?/.exec(code);
      if (!m)
        throw new Error(
          `${name}: first line must be "// lint-as: <path> expect: error|clean [rule: <id>]"`,
        );
      const expect = m[2] as 'error' | 'clean';
      return { name, path: m[1] as string, expect, rule: m[3] ?? RULE, code };
    });
}

/** The type-aware rules: their fixtures need a TypeScript program. */
const TYPE_AWARE = [
  '@typescript-eslint/no-floating-promises',
  '@typescript-eslint/no-misused-promises',
];

/**
 * The project's own config. For the type-aware rules, the fixtures' made-up paths (no file
 * exists there) go to the project service as files of a default program; the layer fixtures
 * are linted without type information, which they do not need (and which is slow).
 */
function fixtureLinter(all: readonly Fixture[], typeAware: boolean): ESLint {
  const parserOptions = typeAware
    ? {
        projectService: {
          allowDefaultProject: [...new Set(all.map((f) => f.path))],
          defaultProject: 'tsconfig.base.json',
          // One made-up path per fixture folder: a few dozen small files, parsed once each.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 200,
        },
      }
    : { projectService: false };
  const off = Object.fromEntries(TYPE_AWARE.map((r) => [r, 'off' as const]));
  return new ESLint({
    cwd: repoRoot,
    overrideConfig: { languageOptions: { parserOptions }, ...(typeAware ? {} : { rules: off }) },
  });
}

/** Every folder boundary the table draws, as `from->to`: each has a refused fixture. */
const REFUSED_DIRECTIONS = [
  'host->web',
  'host->cli',
  'host->sim',
  'host->main',
  'host->preload',
  'web->cli',
  'web->sim',
  'cli->web',
  'cli->sim',
  'sim->web',
  'sim->cli',
  'main->preload',
  'preload->main',
];
const DIR_OF: Record<string, string> = {
  host: 'electron/host/',
  web: 'electron/web/',
  cli: 'electron/cli/',
  sim: 'electron/sim/',
  main: 'electron/main/',
  preload: 'electron/preload/',
};

describe('architecture boundaries (the studio/layers lint rule)', () => {
  const all = fixtures();
  const eslint = fixtureLinter(all, false);
  const typed = fixtureLinter(
    all.filter((f) => TYPE_AWARE.includes(f.rule)),
    true,
  );

  it('has fixtures for every rule in both directions', () => {
    expect(all.filter((f) => f.expect === 'error').length).toBeGreaterThanOrEqual(30);
    expect(all.filter((f) => f.expect === 'clean').length).toBeGreaterThanOrEqual(10);
    for (const rule of [RULE, ...TYPE_AWARE])
      for (const kind of ['error', 'clean'])
        expect(
          all.some((f) => f.rule === rule && f.expect === kind),
          `${rule} ${kind}`,
        ).toBe(true);
  });

  it('refuses every folder boundary of the table, each shown by a fixture', async () => {
    for (const direction of REFUSED_DIRECTIONS) {
      const [from, to] = direction.split('->') as [string, string];
      const f = all.find(
        (x) =>
          x.expect === 'error' &&
          x.path.startsWith(DIR_OF[from] as string) &&
          x.code.includes(`/${to}/`),
      );
      expect(f, `a fixture importing ${to}/ from ${from}/`).toBeDefined();
      const [result] = await eslint.lintText((f as Fixture).code, {
        filePath: join(repoRoot, (f as Fixture).path),
      });
      const hit = result?.messages.find((m) => m.ruleId === RULE);
      expect(hit?.message, direction).toContain(`reaches ${DIR_OF[to] as string}`);
    }
  });

  for (const f of all) {
    it(`${f.name}: ${f.expect === 'error' ? 'is refused' : 'is allowed'} at ${f.path} (${f.rule})`, async () => {
      const linter = TYPE_AWARE.includes(f.rule) ? typed : eslint;
      const [result] = await linter.lintText(f.code, { filePath: join(repoRoot, f.path) });
      // A fixture that does not parse would pass as clean without the rule ever running.
      expect((result?.messages ?? []).filter((m) => m.fatal === true)).toEqual([]);
      const restricted = (result?.messages ?? []).filter((m) => m.ruleId === f.rule);
      if (f.expect === 'error')
        expect(restricted.length, JSON.stringify(result?.messages)).toBeGreaterThan(0);
      else expect(restricted, JSON.stringify(restricted)).toEqual([]);
    });
  }
});
