// Versions of the runtime and of the packages that matter to users filing bugs. Reads the
// installed package.json files once; a package that is missing reports as such instead of failing.
import { createRequire } from 'node:module';

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

function packageVersion(name: string): string {
  try {
    const pkg = require(`${name}/package.json`) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'not installed';
  }
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
