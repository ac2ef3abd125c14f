// The built-in actions shipped in resources/builtins/*.json (the exchange format, each action
// carrying its `builtin` key and revision), found beside the app in development, in dist/ and in
// a packaged app, and checked exactly like an import. Host side.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuiltinDefinition } from '../store/actions';
import { readExchangeFile, type AssembleFn } from './exchange';

/**
 * Built-ins earlier versions shipped and this one does not: the two per-build flavours of the
 * ImageFileName action became one portable action (its 1909 key lives on, revised), and its
 * hand-written stock-build log twin gave way to the log form derived from the code itself.
 * A library still holding them unedited gets them moved to the deleted list (restorable).
 */
export const RETIRED_BUILTIN_KEYS: readonly string[] = [
  'current-process-image-file-name-19041',
  'current-process-image-file-name-log',
];

/** How far up from this module to look for `resources/builtins` (source and bundle depths). */
const SEARCH_LEVELS = 6;

/** The folder holding the built-in files, or undefined when this installation has none. */
export function findBuiltinsDir(): string | undefined {
  // Electron's extraResources (electron-builder.yml): <resources>/builtins.
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath !== undefined && existsSync(join(resourcesPath, 'builtins')))
    return join(resourcesPath, 'builtins');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < SEARCH_LEVELS; i++) {
    const candidate = join(dir, 'resources', 'builtins');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** Reads and checks every built-in file; a bad one is an error (it is part of the app). */
export async function loadBuiltins(
  dir: string,
  assemble: AssembleFn,
): Promise<BuiltinDefinition[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const out: BuiltinDefinition[] = [];
  const keys = new Set<string>();
  for (const f of files) {
    const candidates = await readExchangeFile(readFileSync(join(dir, f), 'utf8'), f, assemble);
    for (const c of candidates) {
      if (c.builtin === undefined)
        throw new Error(`built-in file ${f}: an action has no builtin key`);
      if (keys.has(c.builtin.key))
        throw new Error(`built-in file ${f}: key ${c.builtin.key} appears twice`);
      keys.add(c.builtin.key);
      out.push({ id: c.id, key: c.builtin.key, revision: c.builtin.revision, content: c.content });
    }
  }
  return out;
}
