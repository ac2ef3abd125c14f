// Test runner configuration: one run covers static checks, unit, integration (real pty, SQLite,
// emulator), browser (Debian Chromium) and Electron layers. `VITEST_JSON` adds a JSON report
// that .ci/run turns into its `N passed, N failed` line.
import { defineConfig } from 'vitest/config';

const json = process.env.VITEST_JSON;

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    pool: 'forks',
    // Two cores on the reference machine; integration tests spawn processes of their own.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: json ? ['default', ['json', { outputFile: json }]] : ['default'],
  },
});
