// journeySteps (test/web/studio.ts) stops a journey at its first failing step: run on a fixture
// journey by a separate vitest, the failing step fails, the later one is skipped naming it, and
// a second journey in the same file is not affected.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/paths';

interface JsonReport {
  readonly testResults: readonly {
    readonly assertionResults: readonly {
      readonly title: string;
      readonly status: string;
      readonly failureMessages: readonly string[];
    }[];
  }[];
}

describe('journeySteps', () => {
  it('fails the failing step, skips the rest of its journey, leaves other journeys alone', () => {
    const out = join(tempDir('hds-journey-'), 'report.json');
    try {
      execFileSync(
        process.execPath,
        [
          join(repoRoot, 'node_modules/vitest/vitest.mjs'),
          'run',
          '--config',
          'test/fixtures/journey/vitest.config.ts',
          '--reporter=json',
          `--outputFile=${out}`,
        ],
        { cwd: repoRoot, stdio: 'ignore' },
      );
    } catch {
      // A failed step makes the run exit non-zero; the report says which.
    }
    const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
    const results = report.testResults.flatMap((f) => f.assertionResults);
    expect(results.map((r) => [r.title, r.status])).toEqual([
      ['first step', 'passed'],
      ['second step', 'failed'],
      ['third step', 'skipped'],
      ['runs on its own', 'passed'],
    ]);
    expect(results[1]?.failureMessages.join('\n')).toMatch(/another page/);
  }, 60_000);
});
