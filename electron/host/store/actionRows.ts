// How the action store's rows map to actions and back: the canonical content JSON and its hash
// (what a version and a built-in install are compared by), the row shapes, and reading a row's
// content back through the schema. Apart from the store because a row is data like any other
// input: every read path must refuse a damaged one the same way. Host side.
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/contract/result';
import {
  actionContentSchema,
  canonicalContent,
  type Action,
  type ActionContent,
  type ActionSummary,
  type ActionVersion,
  type VersionReason,
} from '../../../shared/model/action';

/** A summary as the store knows it (`outdated` needs the shipped revisions: see the library). */
export type StoredSummary = ActionSummary;

export interface ActionRow {
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

export interface VersionRow {
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

/** An action from its row and its content (already read back through the schema). */
export function rowToAction(r: ActionRow, content: ActionContent): Action {
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

export function rowToVersion(r: VersionRow): ActionVersion {
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

/** What the list shows for a row whose content cannot be read: its columns and why. */
export function damagedSummary(r: ActionRow, why: string): StoredSummary {
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

/** Rows are data like any other input: a damaged one is an error naming it, not a crash later. */
export function parseContent(json: string, what: string): ActionContent {
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

export function hexToBlob(hex: string | null): Buffer | null {
  return hex === null ? null : Buffer.from(hex, 'hex');
}

function blobToHex(b: Buffer | null): string | null {
  return b === null ? null : b.toString('hex').toUpperCase();
}
