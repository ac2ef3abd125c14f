// The action model: what runs when an event triggers (break, log = a HyperDbg script, code =
// assembly and its bytes), with its metadata, and the zod schemas the contract and the export
// format check it with. Pure.
import { z } from 'zod';
import { ONE_LINE } from '../text/controlChars';
import { bufferSchemaSchema, MAX_RECORD_BYTES, type BufferSchema } from './bufferSchema';
import { EVENT_KINDS, type EventKind } from './eventKinds';
import { recordPayloadSchema, type RecordPayload } from './recordPayload';

export const ACTION_KINDS = ['break', 'log', 'code'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** A name is a list entry and a CLI argument: one line, short. */
export const MAX_NAME_LENGTH = 120;
export const MAX_DESCRIPTION_LENGTH = 8_000;
export const MAX_TAGS = 32;
export const MAX_TAG_LENGTH = 40;
/** Assembly source, comments included: 64 KiB is ~2000 commented lines, far past any action. */
export const MAX_SOURCE_LENGTH = 65_536;
/** A HyperDbg script body; a script's own limits are per printf (spec §5.1), not per script. */
export const MAX_SCRIPT_LENGTH = 65_536;
/**
 * Encoded code bytes: Debugger Mode takes at most 8192 bytes of code plus script per event
 * (spec §3.2); VMI mode has no limit, so allow 64 KiB and let the linter warn past 8 KiB.
 */
export const MAX_CODE_BYTES = 65_536;
/** Windows build numbers (10240 = Windows 10 1507, 19041 = 2004, 22000 = Windows 11). */
export const MAX_WINDOWS_BUILD = 1_000_000;

/** Names and tags appear in lists, terminals and command lines: one line, read as stored. */
const oneLine = ONE_LINE;

export const actionNameSchema = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(MAX_NAME_LENGTH)
  .regex(oneLine, 'a name is one line without control characters');

export const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_TAG_LENGTH)
  .regex(oneLine, 'a tag is one line without control characters');

export const eventKindSchema = z.enum(EVENT_KINDS);

const uniqueList = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z
    .array(item)
    .max(max)
    .refine((xs) => new Set(xs.map((x) => String(x).toLowerCase())).size === xs.length, {
      message: `${what} must not repeat`,
    });

/** Which Windows builds an action's structure offsets fit (spec §11.4). */
export interface WindowsBuilds {
  readonly minBuild: number | null;
  readonly maxBuild: number | null;
  readonly note: string;
}

export const windowsBuildsSchema = z
  .object({
    minBuild: z.number().int().min(0).max(MAX_WINDOWS_BUILD).nullable(),
    maxBuild: z.number().int().min(0).max(MAX_WINDOWS_BUILD).nullable(),
    note: z.string().max(500),
  })
  .strict()
  .refine((w) => w.minBuild === null || w.maxBuild === null || w.minBuild <= w.maxBuild, {
    message: 'minBuild must not be above maxBuild',
    path: ['minBuild'],
  });

/** Assembly source and what it assembles to (upper-case hex, as a `code {}` block takes it). */
export interface CodeBlock {
  readonly source: string;
  /** null when the source does not assemble (a draft saved with errors). */
  readonly bytesHex: string | null;
}

/** Code buffers: the safe buffer is `buffer N` (hex in HyperDbg), below 0x3e8 (spec §3.5). */
export const bufferSizeSchema = z.number().int().min(0).max(MAX_RECORD_BYTES);

export const bytesHexSchema = z
  .string()
  .max(MAX_CODE_BYTES * 2)
  .regex(/^(?:[0-9A-F]{2})*$/, 'bytes are upper-case hex pairs without spaces');

/** Fields every action kind shares. */
export interface ActionCommon {
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** The event kinds the action is written for; empty = any. */
  readonly eventKinds: readonly EventKind[];
  readonly windowsBuilds: WindowsBuilds | null;
}

export interface BreakBody {
  readonly kind: 'break';
}

export interface LogBody {
  readonly kind: 'log';
  /** The body of `script { ... }`. */
  readonly script: string;
  /** `buffer N` for the script's `$buffer` (spec §5.1); 0 = none. */
  readonly bufferSize: number;
  /** How the records this script prints (`HDBG1` lines) decode. */
  readonly bufferSchema: BufferSchema;
}

export interface CodeBody {
  readonly kind: 'code';
  readonly code: CodeBlock;
  /** Condition code: RAX == 0 skips the event's actions (spec §8). */
  readonly condition: CodeBlock | null;
  readonly bufferSize: number;
  readonly bufferSchema: BufferSchema;
  /**
   * The record as script expressions, written by the author: the log form used on targets whose
   * custom code returns no buffers (stock v0.23). Absent: the form derived from the code is used.
   */
  readonly logForm?: RecordPayload;
}

/** An authored log form's payload: what the author wrote is theirs, whatever `origin` said. */
const authoredPayloadSchema = recordPayloadSchema.transform((p): RecordPayload => ({
  ...p,
  origin: 'authored',
}));

export type ActionBody = BreakBody | LogBody | CodeBody;
export type ActionContent = ActionCommon & ActionBody;

/** A built-in action's identity: its file key and the revision installed. */
export interface BuiltinRef {
  readonly key: string;
  readonly revision: number;
}

/** An action as the library stores it. Times are milliseconds since the epoch. */
export type Action = ActionContent & {
  readonly id: string;
  /** Increases with every save; `library:save` takes it back to detect concurrent edits. */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly builtin: BuiltinRef | null;
};

/** Short form for lists. */
export interface ActionSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: ActionKind;
  readonly description: string;
  readonly tags: readonly string[];
  readonly eventKinds: readonly EventKind[];
  readonly version: number;
  readonly updatedAt: number;
  /** Code actions: whether the code (and condition) assembled when last saved. */
  readonly assembled: boolean;
  readonly builtin: (BuiltinRef & { readonly state: BuiltinState }) | null;
  /** When it was deleted (only listed on request); null for live actions. */
  readonly deletedAt: number | null;
  /**
   * Set when the stored row cannot be read (its content is not valid): why. The row is still
   * listed (by its name) so one bad row does not hide the library; opening it gives the error.
   */
  readonly damaged?: string;
}

/**
 * pristine = as installed; edited = the user changed it (an app update never overwrites it);
 * outdated = edited, and the app now ships a newer revision (restore it to get that).
 */
export type BuiltinState = 'pristine' | 'edited' | 'outdated';

// ---- Drafts: what a user submits (the host assembles the bytes) --------------------------------

const commonShape = {
  name: actionNameSchema,
  description: z.string().max(MAX_DESCRIPTION_LENGTH).default(''),
  tags: uniqueList(tagSchema, MAX_TAGS, 'tags').default([]),
  eventKinds: uniqueList(eventKindSchema, EVENT_KINDS.length, 'event kinds').default([]),
  windowsBuilds: windowsBuildsSchema.nullable().default(null),
};

export const sourceSchema = z.string().max(MAX_SOURCE_LENGTH);

/** Checks a schema against the buffer an action requests (log records may be up to 0x3e7). */
function withSchemaInBuffer<
  T extends { bufferSize: number; bufferSchema: readonly { offset: number }[] },
>(limit: (v: T) => number) {
  return (v: T, ctx: z.RefinementCtx) => {
    const parsed = bufferSchemaSchema(limit(v)).safeParse(v.bufferSchema);
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        ctx.addIssue({
          code: 'custom',
          message: issue.message,
          path: ['bufferSchema', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
        });
  };
}

/** An authored log form carries at most the record the code would return (`buffer` bytes). */
function logFormFitsBuffer(
  v: { bufferSize: number; logForm?: RecordPayload | undefined },
  ctx: z.RefinementCtx,
): void {
  if (v.logForm !== undefined && v.logForm.length > v.bufferSize)
    ctx.addIssue({
      code: 'custom',
      path: ['logForm', 'length'],
      message: `the log form carries ${v.logForm.length} bytes, more than the ${v.bufferSize}-byte buffer`,
    });
}

const rawSchema = z.array(
  z.object({ name: z.string(), offset: z.number(), type: z.string() }).strict(),
);

export const breakDraftSchema = z.object({ ...commonShape, kind: z.literal('break') }).strict();

export const logDraftSchema = z
  .object({
    ...commonShape,
    kind: z.literal('log'),
    script: z
      .string()
      .max(MAX_SCRIPT_LENGTH)
      .refine((s) => s.trim() !== '', 'the script is empty'),
    bufferSize: bufferSizeSchema.default(0),
    bufferSchema: rawSchema.max(256).default([]),
  })
  .strict()
  .superRefine(withSchemaInBuffer(() => MAX_RECORD_BYTES));

export const codeDraftSchema = z
  .object({
    ...commonShape,
    kind: z.literal('code'),
    code: z.object({ source: sourceSchema }).strict(),
    condition: z.object({ source: sourceSchema }).strict().nullable().default(null),
    bufferSize: bufferSizeSchema.default(0),
    bufferSchema: rawSchema.max(256).default([]),
    logForm: authoredPayloadSchema.optional(),
  })
  .strict()
  .superRefine(withSchemaInBuffer((v) => v.bufferSize))
  .superRefine(logFormFitsBuffer);

/** What `library:save` takes: the content without identity, times or bytes. */
export const actionDraftSchema = z.discriminatedUnion('kind', [
  breakDraftSchema,
  logDraftSchema,
  codeDraftSchema,
]);
export type ActionDraft = z.output<typeof actionDraftSchema>;
export type ActionDraftInput = z.input<typeof actionDraftSchema>;

// ---- Full content (drafts plus bytes): what the store keeps and files carry --------------------

const codeBlockSchema = z
  .object({ source: sourceSchema, bytesHex: bytesHexSchema.nullable() })
  .strict();

/** Content with bytes, as stored in a version and read back from the database. */
export const actionContentSchema = z.discriminatedUnion('kind', [
  breakDraftSchema,
  logDraftSchema,
  z
    .object({
      ...commonShape,
      kind: z.literal('code'),
      code: codeBlockSchema,
      condition: codeBlockSchema.nullable(),
      bufferSize: bufferSizeSchema,
      bufferSchema: rawSchema.max(256),
      logForm: authoredPayloadSchema.optional(),
    })
    .strict()
    .superRefine(withSchemaInBuffer((v) => v.bufferSize))
    .superRefine(logFormFitsBuffer),
]);

/**
 * The content in a fixed key order, so its JSON (and the hash of a version) does not depend on
 * how an object happened to be built.
 */
export function canonicalContent(a: ActionContent): ActionContent {
  const common: ActionCommon = {
    name: a.name,
    description: a.description,
    tags: [...a.tags],
    eventKinds: [...a.eventKinds],
    windowsBuilds:
      a.windowsBuilds === null
        ? null
        : {
            minBuild: a.windowsBuilds.minBuild,
            maxBuild: a.windowsBuilds.maxBuild,
            note: a.windowsBuilds.note,
          },
  };
  const fields = (s: BufferSchema) =>
    s.map((f) => ({ name: f.name, offset: f.offset, type: f.type }));
  switch (a.kind) {
    case 'break':
      return { kind: 'break', ...common };
    case 'log':
      return {
        kind: 'log',
        ...common,
        script: a.script,
        bufferSize: a.bufferSize,
        bufferSchema: fields(a.bufferSchema),
      };
    case 'code':
      return {
        kind: 'code',
        ...common,
        code: { source: a.code.source, bytesHex: a.code.bytesHex },
        condition:
          a.condition === null
            ? null
            : { source: a.condition.source, bytesHex: a.condition.bytesHex },
        bufferSize: a.bufferSize,
        bufferSchema: fields(a.bufferSchema),
        // Only when present: content without one keeps the JSON (and hash) it always had.
        ...(a.logForm !== undefined
          ? {
              logForm: {
                length: a.logForm.length,
                words: [...a.logForm.words],
                origin: a.logForm.origin,
              },
            }
          : {}),
      };
  }
}

/** The content part of a stored action. */
export function contentOf(a: Action): ActionContent {
  return canonicalContent(a);
}

/** Whether a code action's bytes are all present (it can be bound to an event). */
export function isAssembled(a: ActionContent): boolean {
  return a.kind !== 'code' || (a.code.bytesHex !== null && a.condition?.bytesHex !== null);
}

// ---- History ----------------------------------------------------------------------------------

/** Why a version exists. */
export type VersionReason =
  | 'create'
  | 'save'
  | 'rename'
  | 'restore'
  | 'duplicate'
  | 'import'
  | 'builtin-install'
  | 'builtin-update'
  | 'builtin-restore';

export interface VersionSummary {
  readonly version: number;
  readonly savedAt: number;
  readonly reason: VersionReason;
  readonly name: string;
  /** sha256 of the version's canonical content. */
  readonly hash: string;
  readonly codeBytesHex: string | null;
  readonly conditionBytesHex: string | null;
}

export interface ActionVersion extends VersionSummary {
  readonly actionId: string;
  readonly content: ActionContent;
}
