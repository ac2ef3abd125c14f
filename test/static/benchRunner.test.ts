// `npm run bench` cannot flatter: the runner (scripts/bench.mjs) exits non-zero when a goal is
// missed, when a benchmark crashes, or when two results judge one goal; and zero when every goal
// is met. Run on the fixture benchmarks in test/fixtures/bench.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/paths';

function bench(filter: string) {
  const results = join(tempDir('hds-bench-'), 'results.json');
  const r = spawnSync(
    process.execPath,
    ['scripts/bench.mjs', filter, '--benches', 'test/fixtures/bench', '--results', results],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  const report = JSON.parse(readFileSync(results, 'utf8')) as {
    goals: number;
    missed: string[];
    crashed: string[];
    invalid: string[];
  };
  return { code: r.status, out: `${r.stdout}${r.stderr}`, report };
}

describe('bench runner', () => {
  it('exits 0 when every goal is met, counting an informing row as no goal', () => {
    const r = bench('met');
    expect(r.code, r.out).toBe(0);
    expect(r.report).toMatchObject({ goals: 1, missed: [], crashed: [], invalid: [] });
    expect(r.out).toMatch(/median of 3 runs; range 1\.500 \.\. 2\.500/);
  });

  it('exits 1 when a goal is missed, naming it', () => {
    const r = bench('missed');
    expect(r.code).toBe(1);
    expect(r.report.missed).toEqual(['fixture: too slow']);
    expect(r.out).toMatch(/MISSED fixture: too slow/);
  });

  it('exits 1 when a benchmark crashes', () => {
    const r = bench('crash');
    expect(r.code).toBe(1);
    expect(r.report.crashed).toHaveLength(1);
  });

  it('exits 1 when two results judge the same goal', () => {
    const r = bench('twice');
    expect(r.code).toBe(1);
    expect(r.report.invalid.join('\n')).toMatch(/"p95 under 5 ms" is judged by two results/);
  });
}, 60_000);
