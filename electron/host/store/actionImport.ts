// Importing actions in bulk: each item checked and canonicalized before any database work (so
// a bad one is refused naming its field), then written as rows in steps with names made unique
// in memory. Apart from the store because thousands of rows must not block the host: the rows
// come from a generator that yields between steps, inside the caller's transaction. Host side.
import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/result';
import {
  actionContentSchema,
  canonicalContent,
  MAX_NAME_LENGTH,
  type ActionContent,
} from '../../../shared/model/action';
import type { ImportReport } from '../../../shared/model/actionExport';
import type { ActionQueries } from './actionQueries';
import { hexToBlob } from './actionRows';

/**
 * Rows an import writes between two turns of the host's event loop: about 30 ms of SQLite work
 * (measured: 5,000 imported actions take 1.4 s on the reference machine).
 */
export const IMPORT_ROWS_PER_STEP = 100;

/** An action to import with everything computed that needs no database. */
export interface PreparedImportItem {
  readonly id?: string;
  /** Checked against the content schema and canonical. */
  readonly content: ActionContent;
  readonly json: string;
  readonly hash: string;
}

/**
 * Checks and canonicalizes one action to import. Content the store could not read back is
 * refused here, naming the field (`where` says which item), rather than stored and later
 * reported as a damaged row.
 */
export function prepareImportItem(
  item: { readonly id?: string; readonly content: ActionContent },
  where = item.content.name,
): PreparedImportItem {
  const parsed = actionContentSchema.safeParse(item.content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new AppError(
      'invalid-input',
      `${where}: ${field === '' ? '' : `${field}: `}${issue?.message ?? 'invalid'}`,
      field === '' ? undefined : field,
    );
  }
  const content = canonicalContent(parsed.data as ActionContent);
  const json = JSON.stringify(content);
  return {
    ...(item.id === undefined ? {} : { id: item.id }),
    content,
    json,
    hash: createHash('sha256').update(json).digest('hex'),
  };
}

/**
 * The rows of an import, inside the caller's transaction; yields every IMPORT_ROWS_PER_STEP
 * rows. An item already in the library unchanged is skipped; one whose id is taken gets a new
 * id, one whose name is taken a free name.
 */
export function* importRows(
  rows: ActionQueries,
  now: () => number,
  items: readonly PreparedImportItem[],
): Generator<void, ImportReport> {
  const imported: ImportReport['imported'][number][] = [];
  const skipped: ImportReport['skipped'][number][] = [];
  const currentHash = rows.sql<[string], { hash: string; deleted_at: number | null }>(
    `SELECT v.hash, a.deleted_at FROM actions a
     JOIN action_versions v ON v.action_id = a.id AND v.version = a.version WHERE a.id = ?`,
  );
  const idTaken = rows.sql<[string], { id: string }>('SELECT id FROM actions WHERE id = ?');
  const insertAction = rows.sql(
    `INSERT INTO actions (id, name, kind, content, version, created_at, updated_at,
       builtin_key, builtin_revision) VALUES (?, ?, ?, ?, 1, ?, ?, NULL, NULL)`,
  );
  const insertVersion = rows.sql(
    `INSERT INTO action_versions (action_id, version, saved_at, reason, content, code_source,
       code_bytes, condition_source, condition_bytes, hash)
     VALUES (?, 1, ?, 'import', ?, ?, ?, ?, ?, ?)`,
  );
  // Live names as SQLite's NOCASE compares them (ASCII letters folded), kept up to date.
  const names = new Set(
    rows
      .sql<[], { name: string }>('SELECT name FROM actions WHERE deleted_at IS NULL')
      .all()
      .map((r) => foldNoCase(r.name)),
  );
  const t = now();
  let n = 0;
  for (const item of items) {
    if (++n % IMPORT_ROWS_PER_STEP === 0) yield;
    const existing = item.id === undefined ? undefined : currentHash.get(item.id);
    if (existing !== undefined && existing.deleted_at === null && existing.hash === item.hash) {
      skipped.push({ name: item.content.name, reason: 'already in the library, unchanged' });
      continue;
    }
    const id = item.id !== undefined && idTaken.get(item.id) === undefined ? item.id : randomUUID();
    const name = uniqueIn(names, item.content.name);
    names.add(foldNoCase(name));
    const stored =
      name === item.content.name ? item : prepareImportItem({ content: { ...item.content, name } });
    const c = stored.content;
    insertAction.run(id, name, c.kind, stored.json, t, t);
    rows.remember(id, stored.json, c);
    const code = c.kind === 'code' ? c.code : null;
    const condition = c.kind === 'code' ? c.condition : null;
    insertVersion.run(
      id,
      t,
      stored.json,
      code?.source ?? null,
      hexToBlob(code?.bytesHex ?? null),
      condition?.source ?? null,
      hexToBlob(condition?.bytesHex ?? null),
      stored.hash,
    );
    imported.push({
      id,
      name,
      renamedFrom: name === item.content.name ? null : item.content.name,
    });
  }
  return { imported, skipped };
}

/** A name as SQLite's NOCASE collation compares it: only ASCII letters are folded. */
function foldNoCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** `name`, or `name (2)`, `name (3)`... whichever `taken` (folded names) does not hold. */
function uniqueIn(taken: ReadonlySet<string>, name: string): string {
  if (!taken.has(foldNoCase(name))) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
    if (!taken.has(foldNoCase(candidate))) return candidate;
  }
}
