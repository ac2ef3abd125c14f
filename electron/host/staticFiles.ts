// Serves the built renderer from one folder, never outside it (no `..`, no symbolic link that
// leads out): used by the web host and by the Electron shell's studio:// protocol. Plain Node.
import { realpath as realpathCallback } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/**
 * fs.realpath through promisify, not fs/promises: Electron's asar support wraps the callback
 * form (with a promisify hook), so the packaged app resolves paths inside app.asar too.
 */
const realpath = promisify(realpathCallback);

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Returns the file for a URL path, or undefined if it does not exist or escapes the root. */
export async function loadStatic(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const rootAbs = resolve(root);
  const full = resolve(join(rootAbs, normalize(rel)));
  if (full !== rootAbs && !full.startsWith(rootAbs + sep)) return undefined;
  try {
    // Where the path really leads, links resolved: it must still be inside the real folder.
    const [realRoot, real] = await Promise.all([realpath(rootAbs), realpath(full)]);
    if (!real.startsWith(realRoot + sep)) return undefined;
    const s = await stat(real);
    if (!s.isFile()) return undefined;
    return {
      body: await readFile(real),
      contentType: CONTENT_TYPES[extname(full)] ?? 'application/octet-stream',
    };
  } catch {
    return undefined;
  }
}
