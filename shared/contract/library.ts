// Contract entries of the `library`, `asm` and `profile` domains: saved actions and their
// history, built-ins, import/export, the assembler and listings, connection profiles. Pure.
import { z } from 'zod';
import {
  actionDraftSchema,
  actionNameSchema,
  bufferSizeSchema,
  eventKindSchema,
  MAX_SOURCE_LENGTH,
  type Action,
  type ActionKind,
  type ActionSummary,
  type ActionVersion,
  type VersionSummary,
  type WindowsBuilds,
} from '../model/action';
import {
  CODE_ROLES,
  type AsmDiagnostic,
  type AssemblyResult,
  type DisassemblyResult,
} from '../model/actionAssembly';
import { MAX_IMPORT_BYTES, type ImportReport } from '../model/actionExport';
import {
  profileDraftSchema,
  targetCapabilitySchema,
  type ConnectionProfile,
} from '../model/actionTarget';
import { method, stream } from './define';

/** Ids are UUIDs; the bound only keeps junk out. */
const idSchema = z.string().min(1).max(64);
const versionSchema = z.number().int().min(1);

export interface SaveResult {
  readonly action: Action;
  /** What assembling the code and the condition said (empty for break and log actions). */
  readonly diagnostics: {
    readonly code: readonly AsmDiagnostic[];
    readonly condition: readonly AsmDiagnostic[];
  };
}

export interface BuiltinInfo {
  readonly key: string;
  readonly revision: number;
  readonly name: string;
  readonly kind: ActionKind;
  readonly description: string;
  readonly windowsBuilds: WindowsBuilds | null;
  /** The library's action for it; null when it was never installed or is deleted. */
  readonly actionId: string | null;
  readonly state: 'pristine' | 'edited' | 'outdated' | 'deleted' | 'missing';
}

export interface LibraryChange {
  readonly scope: 'actions' | 'profiles';
  readonly reason: string;
  readonly ids: readonly string[];
}

/** What assembling needs besides the source: the listing's meaning depends on all of it. */
const asmContextShape = {
  /** Custom code (RCX = buffer, RDX = GUEST_REGS, R8 = Context) or condition code (spec §8). */
  role: z.enum(CODE_ROLES).default('code'),
  /** The event the code is for: gives Context its meaning. */
  eventKind: eventKindSchema.nullable().default(null),
  bufferSize: bufferSizeSchema.default(0),
  target: targetCapabilitySchema.default('auto'),
};

export const libraryMethods = {
  /** The saved actions, by name. */
  'library:list': method<ActionSummary[]>()(
    'The saved actions, sorted by name.',
    z.object({ includeDeleted: z.boolean().default(false) }).strict(),
  ),
  /** One action with its content and bytes. */
  'library:get': method<Action>()('One saved action.', z.object({ id: idSchema }).strict()),
  /**
   * Creates (no id) or saves an action as a new version. The host assembles and verifies code
   * and condition; a draft that does not assemble is saved with null bytes and its diagnostics.
   * `baseVersion` (the version the edit started from) refuses a save over someone else's.
   */
  'library:save': method<SaveResult>()(
    'Creates or saves an action; the host assembles its code.',
    z
      .object({
        id: idSchema.optional(),
        baseVersion: versionSchema.optional(),
        action: actionDraftSchema,
      })
      .strict(),
  ),
  /** A copy under a new (or a free `name (copy)`) name. */
  'library:duplicate': method<Action>()(
    'Copies an action.',
    z.object({ id: idSchema, name: actionNameSchema.optional() }).strict(),
  ),
  'library:rename': method<Action>()(
    'Renames an action (a new version).',
    z
      .object({ id: idSchema, name: actionNameSchema, baseVersion: versionSchema.optional() })
      .strict(),
  ),
  /** Moves an action to the deleted list; its history stays and `library:undelete` restores it. */
  'library:delete': method<{ readonly id: string; readonly deletedAt: number }>()(
    'Deletes an action (restorable).',
    z.object({ id: idSchema }).strict(),
  ),
  'library:undelete': method<Action>()(
    'Brings a deleted action back.',
    z.object({ id: idSchema }).strict(),
  ),
  /** Every saved version, newest first. */
  'library:history': method<VersionSummary[]>()(
    "An action's saved versions, newest first.",
    z.object({ id: idSchema }).strict(),
  ),
  'library:get-version': method<ActionVersion>()(
    'One saved version of an action.',
    z.object({ id: idSchema, version: versionSchema }).strict(),
  ),
  /** Saves an old version's content as the newest version (the current name stays). */
  'library:restore-version': method<Action>()(
    'Restores an old version as the newest.',
    z
      .object({ id: idSchema, version: versionSchema, baseVersion: versionSchema.optional() })
      .strict(),
  ),
  /** The built-in actions this app ships and their state in the library. */
  'library:builtins': method<BuiltinInfo[]>()(
    'The shipped built-in actions and their state.',
    z.object({}).strict(),
  ),
  /** Puts built-ins back as shipped (all, or the keys given); edits stay in their history. */
  'library:restore-builtins': method<Action[]>()(
    'Restores built-in actions as shipped.',
    z.object({ keys: z.array(z.string().min(1).max(64)).max(100).optional() }).strict(),
  ),
  /**
   * Imports an exchange file (JSON) or a HyperDbg script file (.ds, .hds, text) as log actions.
   * All or nothing: a malformed or hostile file imports nothing and says what and where.
   */
  'library:import': method<ImportReport>()(
    'Imports actions from a file; all or nothing.',
    z
      .object({
        fileName: z.string().min(1).max(260),
        content: z.string().max(MAX_IMPORT_BYTES),
        format: z.enum(['auto', 'json', 'script']).default('auto'),
      })
      .strict(),
  ),
  /** The exchange file of the given actions, or of the whole library. */
  'library:export': method<{
    readonly fileName: string;
    readonly content: string;
    readonly count: number;
  }>()(
    'Exports actions (or the whole library) as an exchange file.',
    z.object({ ids: z.array(idSchema).max(10_000).optional() }).strict(),
  ),
  /** Assembles, verifies, annotates and lints source; the editor calls it on every change. */
  'asm:assemble': method<AssemblyResult>()(
    'Assembles and checks source; returns bytes, listing and diagnostics.',
    z
      .object({
        source: z.string().max(MAX_SOURCE_LENGTH),
        ...asmContextShape,
        /**
         * The Windows build structure fields (`EPROCESS.ImageFileName`) resolve for; absent or
         * null: the connected target's (its symbols, else the known-builds table), or the
         * reference build when no target build is known.
         */
        build: z.number().int().min(1).max(99_999).nullable().optional(),
      })
      .strict(),
  ),
  /** An annotated listing of hex bytes (spaces allowed), with source that reassembles to them. */
  'asm:disassemble': method<DisassemblyResult>()(
    'Disassembles hex bytes into an annotated listing.',
    z
      .object({
        hex: z
          .string()
          .max(MAX_SOURCE_LENGTH)
          .regex(/^[\s0-9a-fA-F]*$/, 'hex digits and spaces only')
          .refine((h) => h.replace(/\s/g, '').length % 2 === 0, 'an even number of hex digits'),
        ...asmContextShape,
      })
      .strict(),
  ),
  'profile:list': method<ConnectionProfile[]>()(
    'The connection profiles, by name.',
    z.object({}).strict(),
  ),
  /** Creates (no id) or replaces a connection profile. */
  'profile:save': method<ConnectionProfile>()(
    'Creates or replaces a connection profile.',
    z.object({ id: idSchema.optional(), profile: profileDraftSchema }).strict(),
  ),
  /** Checks a CLI path before a profile uses it: exists, is a program, has hyperkd.sys beside. */
  'profile:check-cli': method<CliPathCheck>()(
    "Checks that a profile's CLI path exists and can be started.",
    z
      .object({
        cliPath: profileDraftSchema.shape.cliPath,
        workingDirectory: profileDraftSchema.shape.workingDirectory,
      })
      .strict(),
  ),
  'profile:delete': method<{ readonly id: string }>()(
    'Deletes a connection profile.',
    z.object({ id: idSchema }).strict(),
  ),
} as const;

/** What `profile:check-cli` found about a CLI path. */
export interface CliPathCheck {
  readonly ok: boolean;
  readonly path: string;
  readonly problems: readonly string[];
  readonly notes: readonly string[];
}

export const libraryStreams = {
  /** The library or the profiles changed (here or through another window of this host). */
  'library:changed': stream<LibraryChange>('Actions or connection profiles changed.'),
} as const;
