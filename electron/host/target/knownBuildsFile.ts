// Finds and reads the table of known Windows builds (resources/windows-builds.json) beside the
// app in development, in dist/ and in a packaged app; a broken table is an error (it ships with
// the app). Host side.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseKnownBuilds, type KnownBuilds } from '../../../shared/model/knownBuilds';

const FILE_NAME = 'windows-builds.json';
/** How far up from this module to look for `resources/` (source and bundle depths). */
const SEARCH_LEVELS = 6;

/** The table's path, or undefined when this installation has none. */
export function findKnownBuildsFile(): string | undefined {
  // Electron's extraResources (electron-builder.yml): <resources>/windows-builds.json.
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath !== undefined && existsSync(join(resourcesPath, FILE_NAME)))
    return join(resourcesPath, FILE_NAME);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < SEARCH_LEVELS; i++) {
    const candidate = join(dir, 'resources', FILE_NAME);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

const cache = new Map<string, KnownBuilds>();

/** The shipped table (or the one at `path`), read once. Throws naming the file and the problem. */
export function loadKnownBuilds(path = findKnownBuildsFile()): KnownBuilds {
  if (path === undefined)
    throw new Error(`${FILE_NAME} was not found beside the app: the installation is incomplete`);
  const hit = cache.get(path);
  if (hit !== undefined) return hit;
  const parsed = parseKnownBuilds(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`${path}: ${parsed.error}`);
  cache.set(path, parsed.value);
  return parsed.value;
}
