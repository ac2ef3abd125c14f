// Vitest's global setup: builds dist/ once, before any test file runs, so tests that run the
// built programs (simulator, web host, CLI, preload bundle) all see the same build and no file
// rebuilds it while another worker uses it. Test side.
import { execFileSync } from 'node:child_process';
import { repoRoot } from './helpers/paths';

export default function buildOnce(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}
