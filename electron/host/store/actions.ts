// Saved actions and their history: every save is a new version (content, sources, bytes, hash)
// written in the same transaction as the action row; nothing is overwritten without a version,
// deletions are kept until restored. Built-in actions are installed and restored here, never over
// a user's edit. Host side.
import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/result';
import {
  actionContentSchema,
  canonicalContent,
  isAssembled,
  MAX_NAME_LENGTH,
  type Action,
  type ActionContent,
  type ActionSummary,
  type ActionVersion,
  type BuiltinRef,
  type VersionReason,
  type VersionSummary,
} from '../../../shared/model/action';
import type { ImportReport } from '../../../shared/model/actionExport';
import type { Db, Stmt } from './database';

/**
 * Rows an import writes between two turns of the host's event loop: about 30 ms of SQLite work
 * (measured: 5,000 imported actions take 1.4 s on the reference machine).
 */
const IMPORT_ROWS_PER_STEP = 100;

/** A built-in action as shipped: its key, revision and content. */
export interface BuiltinDefinition {
  /** The id in the built-in file: the same on every machine, so exports of it match. */
  readonly id?: string;
  readonly key: string;
  readonly revision: number;
  readonly content: ActionContent;
}

/** A summary as the store knows it (`outdated` needs the shipped revisions: see the library). */
export type StoredSummary = ActionSummary;

interface ActionRow {
  id: string;
  name: string;
  kind: string;
  content: string;
  version: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  builtin_key: string | null;
  builtin_revision: number | null;
}

interface VersionRow {
  action_id: string;
  version: number;
  saved_at: number;
  reason: string;
  content: string;
  code_bytes: Buffer | null;
  condition_bytes: Buffer | null;
  hash: string;
}

export function contentJson(c: ActionContent): string {
  return JSON.stringify(canonicalContent(c));
}

export function contentHash(c: ActionContent): string {
  return createHash('sha256').update(contentJson(c)).digest('hex');
}

export class ActionStore {
  /**
   * Content already checked, by action id, with the exact JSON it was read from: checking a row
   * against the schema costs a quarter of a millisecond, and a library of thousands of actions
   * is listed after every change. A row whose JSON differs (changed meanwhile, by this process
   * or another) is checked again.
   */
  private readonly checked = new Map<
    string,
    { readonly json: string; readonly content: ActionContent }
  >();

  /** Prepared statements by their SQL: compiling one costs more than running it. */
  private readonly statements = new Map<string, Stmt>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  private sql<P extends unknown[] = unknown[], R = unknown>(source: string): Stmt<P, R> {
    let s = this.statements.get(source);
    if (s === undefined) {
      s = this.db.prepare(source);
      this.statements.set(source, s);
    }
    return s as unknown as Stmt<P, R>;
  }

  list(includeDeleted = false): StoredSummary[] {
    const rows = this.sql<[], ActionRow & { installed_hash: string | null }>(
      `SELECT a.*, b.content_hash AS installed_hash FROM actions a
         LEFT JOIN builtin_installs b ON b.key = a.builtin_key
         ${includeDeleted ? '' : 'WHERE a.deleted_at IS NULL'}
         ORDER BY a.name COLLATE NOCASE`,
    ).all();
    return rows.map((r) => {
      let a: Action;
      try {
        a = this.toAction(r);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        return damagedSummary(r, e.message);
      }
      return {
        id: a.id,
        name: a.name,
        kind: a.kind,
        description: a.description,
        tags: a.tags,
        eventKinds: a.eventKinds,
        version: a.version,
        updatedAt: a.updatedAt,
        assembled: isAssembled(a),
        deletedAt: r.deleted_at,
        builtin:
          a.builtin === null
            ? null
            : {
                ...a.builtin,
                state: r.installed_hash === contentHash(a) ? 'pristine' : 'edited',
              },
      };
    });
  }

  get(id: string, opts: { includeDeleted?: boolean } = {}): Action {
    const row = this.row(id);
    if (row === undefined || (row.deleted_at !== null && opts.includeDeleted !== true))
      throw new AppError('not-found', `no action with id ${id}`, 'id');
    return this.toAction(row);
  }

  /** Finds a live action by exact id, or by name (case-insensitive). */
  find(idOrName: string): Action | undefined {
    const row =
      this.row(idOrName) ??
      this.sql<[string], ActionRow>(
        'SELECT * FROM actions WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL',
      ).get(idOrName);
    return row === undefined || row.deleted_at !== null ? undefined : this.toAction(row);
  }

  create(
    content: ActionContent,
    opts: { reason?: VersionReason; builtin?: BuiltinRef; id?: string; uniqueName?: boolean } = {},
  ): Action {
    return this.db
      .transaction(() => {
        const name = opts.uniqueName === true ? this.uniqueName(content.name) : content.name;
        this.assertNameFree(name, null);
        const stored = canonicalContent({ ...content, name });
        const id = opts.id ?? randomUUID();
        const t = this.now();
        this.sql(
          `INSERT INTO actions (id, name, kind, content, version, created_at, updated_at,
               builtin_key, builtin_revision) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)`,
        ).run(
          id,
          name,
          stored.kind,
          contentJson(stored),
          t,
          t,
          opts.builtin?.key ?? null,
          opts.builtin?.revision ?? null,
        );
        this.insertVersion(id, 1, t, opts.reason ?? 'create', stored);
        return this.get(id);
      })
      .immediate();
  }

  /** Saves new content as the next version; `baseVersion` guards against a concurrent edit. */
  update(
    id: string,
    content: ActionContent,
    opts: { baseVersion?: number; reason?: VersionReason; builtin?: BuiltinRef | null } = {},
  ): Action {
    return this.db
      .transaction(() => {
        const current = this.get(id);
        if (opts.baseVersion !== undefined && opts.baseVersion !== current.version)
          throw new AppError(
            'conflict',
            `'${current.name}' was saved elsewhere meanwhile (version ${current.version}, this edit started from ${opts.baseVersion}); reload it and apply the change again`,
            'baseVersion',
          );
        this.assertNameFree(content.name, id);
        const stored = canonicalContent(content);
        const version = current.version + 1;
        const t = this.now();
        const builtin = opts.builtin === undefined ? current.builtin : opts.builtin;
        this.sql(
          `UPDATE actions SET name = ?, kind = ?, content = ?, version = ?, updated_at = ?,
               builtin_key = ?, builtin_revision = ? WHERE id = ?`,
        ).run(
          stored.name,
          stored.kind,
          contentJson(stored),
          version,
          t,
          builtin?.key ?? null,
          builtin?.revision ?? null,
          id,
        );
        this.insertVersion(id, version, t, opts.reason ?? 'save', stored);
        return this.get(id);
      })
      .immediate();
  }

  rename(id: string, name: string, baseVersion?: number): Action {
    return this.db
      .transaction(() => {
        const current = this.get(id);
        return this.update(id, { ...current, name }, { baseVersion, reason: 'rename' });
      })
      .immediate();
  }

  duplicate(id: string, name?: string): Action {
    return this.db
      .transaction(() => {
        const source = this.get(id);
        const wanted = name ?? `${source.name} (copy)`;
        return this.create(
          { ...source, name: name === undefined ? this.uniqueName(wanted) : wanted },
          { reason: 'duplicate' },
        );
      })
      .immediate();
  }

  /** Moves an action out of the library; `undelete` brings it back with its history. */
  softDelete(id: string): { id: string; deletedAt: number } {
    return this.db
      .transaction(() => {
        this.get(id);
        const t = this.now();
        this.sql('UPDATE actions SET deleted_at = ? WHERE id = ?').run(t, id);
        return { id, deletedAt: t };
      })
      .immediate();
  }

  undelete(id: string): Action {
    return this.db
      .transaction(() => {
        const row = this.row(id);
        if (row === undefined) throw new AppError('not-found', `no action with id ${id}`, 'id');
        if (row.deleted_at === null) return this.toAction(row);
        const action = this.toAction(row);
        const name = this.uniqueName(action.name);
        if (name === action.name) {
          this.sql('UPDATE actions SET deleted_at = NULL WHERE id = ?').run(id);
          return this.get(id);
        }
        // Its name was taken meanwhile: come back under a free one, as a new version.
        const stored = canonicalContent({ ...action, name });
        const t = this.now();
        this.sql(
          'UPDATE actions SET deleted_at = NULL, name = ?, content = ?, version = ?, updated_at = ? WHERE id = ?',
        ).run(name, contentJson(stored), action.version + 1, t, id);
        this.insertVersion(id, action.version + 1, t, 'rename', stored);
        return this.get(id);
      })
      .immediate();
  }

  history(id: string): VersionSummary[] {
    this.get(id, { includeDeleted: true });
    return this.sql<[string], VersionRow>(
      'SELECT * FROM action_versions WHERE action_id = ? ORDER BY version DESC',
    )
      .all(id)
      .map((r) => this.toVersion(r));
  }

  getVersion(id: string, version: number): ActionVersion {
    const row = this.sql<[string, number], VersionRow>(
      'SELECT * FROM action_versions WHERE action_id = ? AND version = ?',
    ).get(id, version);
    if (row === undefined)
      throw new AppError('not-found', `action ${id} has no version ${version}`, 'version');
    return this.toVersion(row);
  }

  /** Saves an old version's content as the newest version; the current name is kept. */
  restoreVersion(id: string, version: number, baseVersion?: number): Action {
    return this.db
      .transaction(() => {
        const current = this.get(id);
        const old = this.getVersion(id, version);
        return this.update(
          id,
          { ...old.content, name: current.name },
          { baseVersion, reason: 'restore' },
        );
      })
      .immediate();
  }

  /**
   * Installs built-ins never installed before, and updates installed ones to a newer revision
   * only while the user has not edited (or deleted) them.
   */
  installBuiltins(defs: readonly BuiltinDefinition[]): { installed: string[]; updated: string[] } {
    return this.db
      .transaction(() => {
        const installed: string[] = [];
        const updated: string[] = [];
        for (const def of defs) {
          const record = this.installRecord(def.key);
          if (record === undefined) {
            const action = this.create(def.content, {
              reason: 'builtin-install',
              builtin: { key: def.key, revision: def.revision },
              uniqueName: true,
              id: this.freeId(def.id),
            });
            this.recordInstall(def.key, def.revision, contentHash(action));
            installed.push(def.key);
            continue;
          }
          if (def.revision <= record.revision) continue;
          const row = this.builtinRow(def.key);
          if (row === undefined || row.deleted_at !== null) continue;
          const current = this.toAction(row);
          if (contentHash(current) !== record.content_hash) continue;
          const action = this.update(
            current.id,
            { ...def.content, name: this.nameFor(def.content.name, current.id) },
            { reason: 'builtin-update', builtin: { key: def.key, revision: def.revision } },
          );
          this.recordInstall(def.key, def.revision, contentHash(action));
          updated.push(def.key);
        }
        return { installed, updated };
      })
      .immediate();
  }

  /**
   * Built-ins the app no longer ships: each one still as installed is moved to the deleted list
   * (restorable, history kept); one the user edited is theirs and stays. Returns the ids moved.
   */
  retireBuiltins(keys: readonly string[]): string[] {
    return this.db
      .transaction(() => {
        const retired: string[] = [];
        for (const key of keys) {
          const row = this.builtinRow(key);
          const record = this.installRecord(key);
          if (row === undefined || row.deleted_at !== null || record === undefined) continue;
          if (contentHash(this.toAction(row)) !== record.content_hash) continue;
          this.softDelete(row.id);
          retired.push(row.id);
        }
        return retired;
      })
      .immediate();
  }

  /** Puts built-ins back as shipped (explicitly asked for): the user's edit stays in history. */
  restoreBuiltins(defs: readonly BuiltinDefinition[]): Action[] {
    return this.db
      .transaction(() =>
        defs.map((def) => {
          const row = this.builtinRow(def.key);
          const builtin = { key: def.key, revision: def.revision };
          let action: Action;
          if (row === undefined)
            action = this.create(def.content, {
              reason: 'builtin-restore',
              builtin,
              uniqueName: true,
              id: this.freeId(def.id),
            });
          else {
            if (row.deleted_at !== null) this.undelete(row.id);
            action = this.update(
              row.id,
              { ...def.content, name: this.nameFor(def.content.name, row.id) },
              { reason: 'builtin-restore', builtin },
            );
          }
          this.recordInstall(def.key, def.revision, contentHash(action));
          return action;
        }),
      )
      .immediate();
  }

  /**
   * Imports prepared items (`prepareImportItem`) all or nothing, in one transaction. Every check
   * and computation that needs no database was done before, statements are prepared once and
   * names are made unique in memory. Thousands of rows still take a second or more of SQLite
   * work: `pause` (called every IMPORT_ROWS_PER_STEP rows) lets the host's event loop run in
   * between. The caller must keep other writes off this connection until it resolves (they would
   * join this transaction).
   */
  async importPrepared(
    items: readonly PreparedImportItem[],
    pause: () => Promise<void>,
  ): Promise<ImportReport> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const rows = this.importRows(items);
      for (;;) {
        const step = rows.next();
        if (step.done === true) {
          this.db.exec('COMMIT');
          return step.value;
        }
        await pause();
      }
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Small imports (tests, the CLI's few files): the same rows in one synchronous transaction. */
  importActions(items: readonly { id?: string; content: ActionContent }[]): ImportReport {
    const prepared = items.map((i) => prepareImportItem(i));
    return this.db
      .transaction(() => {
        const rows = this.importRows(prepared);
        for (;;) {
          const step = rows.next();
          if (step.done === true) return step.value;
        }
      })
      .immediate();
  }

  /** The rows of an import, inside the caller's transaction; yields between steps. */
  private *importRows(items: readonly PreparedImportItem[]): Generator<void, ImportReport> {
    const imported: ImportReport['imported'][number][] = [];
    const skipped: ImportReport['skipped'][number][] = [];
    const currentHash = this.sql<[string], { hash: string; deleted_at: number | null }>(
      `SELECT v.hash, a.deleted_at FROM actions a
       JOIN action_versions v ON v.action_id = a.id AND v.version = a.version WHERE a.id = ?`,
    );
    const idTaken = this.sql<[string], { id: string }>('SELECT id FROM actions WHERE id = ?');
    const insertAction = this.sql(
      `INSERT INTO actions (id, name, kind, content, version, created_at, updated_at,
         builtin_key, builtin_revision) VALUES (?, ?, ?, ?, 1, ?, ?, NULL, NULL)`,
    );
    const insertVersion = this.sql(
      `INSERT INTO action_versions (action_id, version, saved_at, reason, content, code_source,
         code_bytes, condition_source, condition_bytes, hash)
       VALUES (?, 1, ?, 'import', ?, ?, ?, ?, ?, ?)`,
    );
    // Live names as SQLite's NOCASE compares them (ASCII letters folded), kept up to date.
    const names = new Set(
      this.sql<[], { name: string }>('SELECT name FROM actions WHERE deleted_at IS NULL')
        .all()
        .map((r) => foldNoCase(r.name)),
    );
    const t = this.now();
    let n = 0;
    for (const item of items) {
      if (++n % IMPORT_ROWS_PER_STEP === 0) yield;
      const existing = item.id === undefined ? undefined : currentHash.get(item.id);
      if (existing !== undefined && existing.deleted_at === null && existing.hash === item.hash) {
        skipped.push({ name: item.content.name, reason: 'already in the library, unchanged' });
        continue;
      }
      const id =
        item.id !== undefined && idTaken.get(item.id) === undefined ? item.id : randomUUID();
      const name = uniqueIn(names, item.content.name);
      names.add(foldNoCase(name));
      const stored =
        name === item.content.name
          ? item
          : prepareImportItem({ content: { ...item.content, name } });
      const c = stored.content;
      insertAction.run(id, name, c.kind, stored.json, t, t);
      this.checked.set(id, { json: stored.json, content: c });
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

  /** `name`, or `name (2)`, `name (3)`... whichever no live action uses. */
  uniqueName(name: string, exceptId: string | null = null): string {
    if (!this.nameTaken(name, exceptId)) return name;
    for (let n = 2; ; n++) {
      const suffix = ` (${n})`;
      const candidate = `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
      if (!this.nameTaken(candidate, exceptId)) return candidate;
    }
  }

  private freeId(id: string | undefined): string | undefined {
    return id !== undefined && this.row(id) === undefined ? id : undefined;
  }

  private nameFor(name: string, id: string): string {
    return this.uniqueName(name, id);
  }

  private nameTaken(name: string, exceptId: string | null): boolean {
    const row = this.sql<[string], { id: string }>(
      'SELECT id FROM actions WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL',
    ).get(name);
    return row !== undefined && row.id !== exceptId;
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    if (this.nameTaken(name, exceptId))
      throw new AppError('conflict', `an action named '${name}' already exists`, 'name');
  }

  private row(id: string): ActionRow | undefined {
    return this.sql<[string], ActionRow>('SELECT * FROM actions WHERE id = ?').get(id);
  }

  private builtinRow(key: string): ActionRow | undefined {
    return this.sql<[string], ActionRow>('SELECT * FROM actions WHERE builtin_key = ?').get(key);
  }

  private installRecord(key: string): { revision: number; content_hash: string } | undefined {
    return this.sql<[string], { revision: number; content_hash: string }>(
      'SELECT revision, content_hash FROM builtin_installs WHERE key = ?',
    ).get(key);
  }

  private recordInstall(key: string, revision: number, hash: string): void {
    this.sql(
      `INSERT INTO builtin_installs (key, revision, content_hash, installed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET revision = excluded.revision,
           content_hash = excluded.content_hash, installed_at = excluded.installed_at`,
    ).run(key, revision, hash, this.now());
  }

  private insertVersion(
    id: string,
    version: number,
    savedAt: number,
    reason: VersionReason,
    content: ActionContent,
  ): void {
    const code = content.kind === 'code' ? content.code : null;
    const condition = content.kind === 'code' ? content.condition : null;
    this.sql(
      `INSERT INTO action_versions (action_id, version, saved_at, reason, content, code_source,
           code_bytes, condition_source, condition_bytes, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      version,
      savedAt,
      reason,
      contentJson(content),
      code?.source ?? null,
      hexToBlob(code?.bytesHex ?? null),
      condition?.source ?? null,
      hexToBlob(condition?.bytesHex ?? null),
      contentHash(content),
    );
  }

  private toAction(r: ActionRow): Action {
    const known = this.checked.get(r.id);
    let content: ActionContent;
    if (known !== undefined && known.json === r.content) content = known.content;
    else {
      content = parseContent(r.content, `action ${r.id}`);
      this.checked.set(r.id, { json: r.content, content });
    }
    return {
      ...content,
      id: r.id,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      builtin:
        r.builtin_key === null ? null : { key: r.builtin_key, revision: r.builtin_revision ?? 0 },
    };
  }

  private toVersion(r: VersionRow): ActionVersion {
    const content = parseContent(r.content, `action ${r.action_id} version ${r.version}`);
    return {
      actionId: r.action_id,
      version: r.version,
      savedAt: r.saved_at,
      reason: r.reason as VersionReason,
      name: content.name,
      hash: r.hash,
      codeBytesHex: blobToHex(r.code_bytes),
      conditionBytesHex: blobToHex(r.condition_bytes),
      content,
    };
  }
}

/** What the list shows for a row whose content cannot be read: its columns and why. */
function damagedSummary(r: ActionRow, why: string): StoredSummary {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind === 'code' || r.kind === 'log' || r.kind === 'break' ? r.kind : 'log',
    description: '',
    tags: [],
    eventKinds: [],
    version: r.version,
    updatedAt: r.updated_at,
    assembled: false,
    deletedAt: r.deleted_at,
    builtin:
      r.builtin_key === null
        ? null
        : { key: r.builtin_key, revision: r.builtin_revision ?? 0, state: 'edited' },
    damaged: why,
  };
}

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

/** Rows are data like any other input: a damaged one is an error naming it, not a crash later. */
function parseContent(json: string, what: string): ActionContent {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new AppError('internal', `${what} in the database is damaged (its content is not JSON)`);
  }
  const parsed = actionContentSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'internal',
      `${what} in the database is damaged: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  return canonicalContent(parsed.data as ActionContent);
}

function hexToBlob(hex: string | null): Buffer | null {
  return hex === null ? null : Buffer.from(hex, 'hex');
}

function blobToHex(b: Buffer | null): string | null {
  return b === null ? null : b.toString('hex').toUpperCase();
}
