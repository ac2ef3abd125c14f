// Paths every test layer needs: the repository root, the built bundles, the artifacts folder.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const distDir = join(repoRoot, 'dist');
export const artifactsDir = join(repoRoot, 'test-artifacts');

export function artifactPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return join(artifactsDir, name);
}

/** A fresh temporary folder for one test's data. */
export function tempDir(prefix = 'hds-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
