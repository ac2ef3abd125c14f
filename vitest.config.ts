// Test runner configuration: one run covers static checks, unit, integration (real pty, SQLite,
// emulator), browser (Debian Chromium) and Electron layers. `VITEST_JSON` adds a JSON report
// that .ci/run turns into its `N passed, N failed` line.
import { defineConfig } from 'vitest/config';
import { requireSupportedNode } from './electron/launch/nodeVersion.mjs';

// Before any test loads a native module (better-sqlite3 crashes an old Node's test workers).
requireSupportedNode('the tests');

const json = process.env.VITEST_JSON;

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Builds dist/ once for the whole run (tests that run built programs share it).
    globalSetup: ['test/globalSetup.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores on the reference machine; integration tests spawn processes of their own.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and pty tests poll for what a user would see; on a loaded two-core machine a
    // heartbeat (1 s) or a simulator burst can take longer than vitest's 1 s default.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    reporters: json ? ['default', ['json', { outputFile: json }]] : ['default'],
  },
});
