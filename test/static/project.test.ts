// The whole project type-checks (tsc -b: main and preload against Electron's types, shared/
// without DOM or Node types) and lints clean. Slow, so each is one test. And only vitest's
// global setup builds dist/: a test file that rebuilt it would race the workers using it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

function run(bin: string, args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(process.execPath, [join(repoRoot, 'node_modules', bin), ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, out };
  } catch (e) {
    const x = e as { status?: number; stdout?: string; stderr?: string };
    return { code: x.status ?? 1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

describe('static checks', () => {
  it('type-checks every project (tsc -b)', () => {
    const r = run('typescript/bin/tsc', ['-b']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);

  // Type-aware rules make ESLint build each program's TypeScript program: give it tsc's time
  // and more on a busy two-core machine.
  it('lints clean (eslint .)', () => {
    const r = run('eslint/bin/eslint.js', ['.', '--max-warnings', '0']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 300_000);
});

/**
 * Test files that name the build script without building: the old-Node test runs it under Node
 * 20 to see it refuse before it writes anything (and checks dist/ was left alone).
 */
const REFUSED_BUILDS = ['test/integration/launch/oldNode.test.ts'];

describe('one build per test run', () => {
  it('no test file but test/globalSetup.ts runs the build script', () => {
    const builder = /scripts\/build\.mjs|build\.mjs['"]/;
    const self = join(repoRoot, 'test/static/project.test.ts');
    const offenders = readdirSync(join(repoRoot, 'test'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
      .map((e) => join(e.parentPath, e.name))
      .filter((f) => f !== self && f !== join(repoRoot, 'test/globalSetup.ts'))
      .filter((f) => builder.test(readFileSync(f, 'utf8')))
      .map((f) => relative(repoRoot, f))
      .filter((f) => !REFUSED_BUILDS.includes(f));
    expect(offenders).toEqual([]);
  });
});
