// Where log exports go and how they are found again: the default `<dataDir>/exports/` folder
// with fresh names, a caller's own path checked before anything is written, and the lookup the
// web host's download route uses (a bare file name, never a path). Host side.
import { existsSync, lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { AppError } from '../../../shared/contract/result';
import type { ExportFormat } from '../../../shared/log/exportFormat';
import { fail, ok, type Result } from '../../../shared/result';

export const EXPORTS_DIR = 'exports';
/** The web host serves exports here (browser mode downloads them). */
export const EXPORTS_ROUTE = '/exports/';

/** A file name the download route accepts: no path parts, no dot files, our extensions. */
const EXPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.(jsonl|csv)$/;

const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

export function exportsDirOf(dataDir: string): string {
  return join(dataDir, EXPORTS_DIR);
}

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

export interface ExportTarget {
  readonly path: string;
  readonly fileName: string;
  /** `/exports/<name>` when the file is in the exports folder (downloadable in browser mode). */
  readonly downloadPath: string | null;
}

/**
 * Decides where an export goes. Without `path`: a new `log-<time>.<ext>` in the exports folder.
 * With one: it must be absolute, without `..`, end in the format's extension, name a file in an
 * existing folder, and not replace a file unless `overwrite` (never a folder or a link).
 */
export function resolveExportTarget(
  dataDir: string,
  format: ExportFormat,
  path: string | undefined,
  overwrite: boolean,
  now = new Date(),
): ExportTarget {
  const exportsDir = exportsDirOf(dataDir);
  if (path === undefined) {
    mkdirSync(exportsDir, { recursive: true });
    const base = `log-${stamp(now)}`;
    let fileName = `${base}.${format}`;
    for (let n = 2; existsSync(join(exportsDir, fileName)); n++)
      fileName = `${base}-${n}.${format}`;
    return {
      path: join(exportsDir, fileName),
      fileName,
      downloadPath: `${EXPORTS_ROUTE}${fileName}`,
    };
  }
  const bad = (message: string) => new AppError('invalid-input', message, 'path');
  if (path.includes('\u0000')) throw bad('the export path contains a NUL character');
  if (!isAbsolute(path)) throw bad(`the export path must be absolute: ${JSON.stringify(path)}`);
  if (path.split(/[\\/]/).includes('..'))
    throw bad(`the export path must not contain '..': ${JSON.stringify(path)}`);
  const target = resolve(path);
  if (!target.toLowerCase().endsWith(`.${format}`))
    throw bad(`a ${format.toUpperCase()} export must end in .${format}`);
  const parent = dirname(target);
  let parentIsDir = false;
  try {
    parentIsDir = statSync(parent).isDirectory();
  } catch {
    // Reported below.
  }
  if (!parentIsDir) throw bad(`the folder ${parent} does not exist`);
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(target);
  } catch {
    existing = undefined;
  }
  if (existing !== undefined) {
    if (existing.isDirectory()) throw bad(`${target} is a folder`);
    if (!existing.isFile()) throw bad(`${target} is not a regular file (a link or a device)`);
    if (!overwrite)
      throw new AppError('conflict', `${target} already exists; choose another name`, 'path');
  }
  const inExports = safeRealpath(parent) === safeRealpath(exportsDir);
  const fileName = basename(target);
  return {
    path: target,
    fileName,
    downloadPath: inExports && EXPORT_NAME.test(fileName) ? `${EXPORTS_ROUTE}${fileName}` : null,
  };
}

/**
 * Checks a path a contract caller (the UI, or anyone holding the web host's token) gave for an
 * export: it must name a file directly in the exports folder, links resolved. Anywhere else
 * would let a token holder write `.csv`/`.jsonl` files into any folder the app can write (an
 * autostart folder, a cron directory: the app may run elevated). The CLI's own exports are
 * not limited this way.
 */
export function assertExportPathAllowed(path: string, exportsDir: string): void {
  mkdirSync(exportsDir, { recursive: true });
  const allowed = safeRealpath(exportsDir);
  const parent = isAbsolute(path) ? safeRealpath(dirname(resolve(path))) : null;
  if (allowed === null || parent !== allowed || path.split(/[\\/]/).includes('..'))
    throw new AppError(
      'forbidden',
      `exports are written to the exports folder ${exportsDir} only; ${JSON.stringify(path)} is elsewhere`,
      'path',
    );
}

function safeRealpath(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

/** An export file found on disk, ready to be served. */
export interface ExportFile {
  readonly path: string;
  readonly fileName: string;
  readonly size: number;
  readonly contentType: string;
}

/** Why no file is served: the HTTP status and the message. */
export interface ExportRefusal {
  readonly status: 400 | 404;
  readonly message: string;
}

export type ExportLookup = Result<ExportFile, ExportRefusal>;

/**
 * The export file a download route names (`rawName` still URL-encoded, as it came). Only plain
 * file names inside the exports folder: no separators, no `..`, no links leading out.
 */
export function findExportFile(exportsDir: string, rawName: string): ExportLookup {
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    return fail({ status: 400, message: 'malformed file name' });
  }
  if (!EXPORT_NAME.test(name) || name.includes('..'))
    return fail({ status: 400, message: 'not an export file name' });
  const dir = safeRealpath(exportsDir);
  if (dir === null) return fail({ status: 404, message: 'no such export' });
  const real = safeRealpath(join(dir, name));
  if (real === null || !real.startsWith(dir + sep) || dirname(real) !== dir)
    return fail({ status: 404, message: 'no such export' });
  let size: number;
  try {
    const st = lstatSync(join(dir, name));
    if (!st.isFile()) return fail({ status: 404, message: 'no such export' });
    size = st.size;
  } catch {
    return fail({ status: 404, message: 'no such export' });
  }
  const format: ExportFormat = name.endsWith('.csv') ? 'csv' : 'jsonl';
  return ok({ path: real, fileName: name, size, contentType: CONTENT_TYPES[format] });
}
