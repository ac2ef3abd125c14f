// The action exchange file: a versioned JSON format holding one action or a whole library, with
// each code block's bytes and their sha256 so an import can prove the bytes are the ones saved.
// Built-in actions ship in the same format. Limits here bound what a hostile file can make the
// app do. Pure.
import { z } from 'zod';
import {
  actionNameSchema,
  bufferSizeSchema,
  bytesHexSchema,
  eventKindSchema,
  MAX_DESCRIPTION_LENGTH,
  MAX_SCRIPT_LENGTH,
  MAX_TAGS,
  sourceSchema,
  tagSchema,
  windowsBuildsSchema,
} from './action';
import { bufferFieldSchema, MAX_SCHEMA_FIELDS } from './bufferSchema';
import { recordPayloadSchema } from './recordPayload';
import { EVENT_KINDS } from './eventKinds';

export const EXPORT_FORMAT = 'hyperdbg-studio/actions';
export const EXPORT_FORMAT_VERSION = 1;
/**
 * Largest file imported, in bytes of UTF-8 (and so in characters: a character takes at least a
 * byte). A library of thousands of commented actions is a few MiB. It must fit, as a JSON string,
 * in one browser-mode WebSocket message with room to spare (MAX_WIRE_MESSAGE_BYTES, wire.ts).
 */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
/** Actions per file. */
export const MAX_IMPORT_ACTIONS = 5_000;
/** JSON nesting of a valid file is 5 deep; anything far deeper is an attack on the parser. */
export const MAX_IMPORT_DEPTH = 16;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits');

/** A code block in a file: source, bytes (null = did not assemble when exported) and their hash. */
export const exportedCodeSchema = z
  .object({
    source: sourceSchema,
    bytes: bytesHexSchema.nullable(),
    sha256: sha256Schema.nullable(),
  })
  .strict()
  .refine((c) => (c.bytes === null) === (c.sha256 === null), {
    message: 'bytes and sha256 go together',
    path: ['sha256'],
  });
export type ExportedCode = z.output<typeof exportedCodeSchema>;

const isoTime = z.iso.datetime();

const common = {
  id: z.uuid().optional(),
  name: actionNameSchema,
  description: z.string().max(MAX_DESCRIPTION_LENGTH),
  tags: z.array(tagSchema).max(MAX_TAGS),
  eventKinds: z.array(eventKindSchema).max(EVENT_KINDS.length),
  windowsBuilds: windowsBuildsSchema.nullable(),
  /** Set only in the app's own built-in files; ignored in anything a user imports. */
  builtin: z
    .object({
      key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
      revision: z.number().int().min(1),
    })
    .strict()
    .optional(),
  createdAt: isoTime.optional(),
  updatedAt: isoTime.optional(),
};

const schemaFields = z.array(bufferFieldSchema).max(MAX_SCHEMA_FIELDS);

export const exportedActionSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('break') }).strict(),
  z
    .object({
      ...common,
      kind: z.literal('log'),
      script: z.string().max(MAX_SCRIPT_LENGTH),
      bufferSize: bufferSizeSchema,
      bufferSchema: schemaFields,
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('code'),
      code: exportedCodeSchema,
      condition: exportedCodeSchema.nullable(),
      bufferSize: bufferSizeSchema,
      bufferSchema: schemaFields,
      /** The author's log form (RecordPayload); absent: derived from the code when bound. */
      logForm: recordPayloadSchema.optional(),
    })
    .strict(),
]);
export type ExportedAction = z.output<typeof exportedActionSchema>;

/** Only the envelope, read first, so an unknown version is refused before its body is judged. */
export const exportEnvelopeSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.number().int(),
});

export const exportFileSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    formatVersion: z.literal(EXPORT_FORMAT_VERSION),
    exportedAt: isoTime,
    generator: z.string().max(200),
    actions: z.array(exportedActionSchema).max(MAX_IMPORT_ACTIONS),
  })
  .strict();
export type ExportFile = z.output<typeof exportFileSchema>;

/** What an import did. */
export interface ImportReport {
  readonly imported: readonly {
    readonly id: string;
    readonly name: string;
    /** The name in the file, when it had to change to stay unique. */
    readonly renamedFrom: string | null;
  }[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}
