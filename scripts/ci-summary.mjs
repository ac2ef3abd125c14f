// Prints the final `N passed, N failed` line from vitest's JSON report and exits non-zero on any
// failure, including a test file that failed to load and a run that never produced a report.
import { existsSync, readFileSync } from 'node:fs';

const [, , reportPath, statusArg] = process.argv;
const status = Number(statusArg ?? 1);
if (!reportPath || !existsSync(reportPath)) {
  console.log('0 passed, 1 failed');
  console.error(
    `ci-summary: no test report at ${reportPath} (the build or the test runner failed)`,
  );
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const brokenFiles = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && (f.assertionResults ?? []).every((a) => a.status !== 'failed'),
).length;
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
if (skipped > 0) console.log(`(${skipped} skipped)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || status !== 0 ? 1 : 0);
