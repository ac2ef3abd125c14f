// Versions of the runtime and of the packages that matter to users filing bugs. Reads the
// installed package.json files once; a package that is missing reports as such instead of failing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Packages whose versions the About view shows. */
const REPORTED_PACKAGES = [
  'better-sqlite3',
  'node-pty',
  'koffi',
  'keystone-wasm',
  'iced-x86',
  'zod',
] as const;

/**
 * Reads the package's own package.json from the folders Node would resolve it in. Not
 * `require('<name>/package.json')`: packages with an `exports` map (koffi, keystone-wasm) hide it.
 */
function packageVersion(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const file = join(dir, name, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
      return typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      return 'unreadable';
    }
  }
  return 'not installed';
}

let cached: Record<string, string> | undefined;

export function runtimeVersions(): Readonly<Record<string, string>> {
  if (cached !== undefined) return cached;
  const v: Record<string, string> = { node: process.versions.node };
  const pv = process.versions as Record<string, string | undefined>;
  if (pv.electron !== undefined) v.electron = pv.electron;
  if (pv.chrome !== undefined) v.chrome = pv.chrome;
  for (const name of REPORTED_PACKAGES) v[name] = packageVersion(name);
  cached = v;
  return v;
}
