// Contract entries of the `target` domain: what the connected target is (its Windows build, the
// table of known builds), an action resolved for it (structure fields to offsets, bytes, its log
// form) and the dry run of an action on a synthetic guest of the target's build. Pure.
import { z } from 'zod';
import type { FieldResolution, ListingLine } from '../model/actionAssembly';
import { bufferSizeSchema, eventKindSchema, MAX_SOURCE_LENGTH } from '../model/action';
import { targetCapabilitySchema } from '../model/actionTarget';
import { bufferFieldSchema, MAX_SCHEMA_FIELDS } from '../model/bufferSchema';
import { MAX_DRY_RUN_SAMPLES } from '../model/dryRunWire';
import type { EventKind } from '../model/eventKinds';
import type { RecordPayload } from '../model/recordPayload';
import { method } from './define';

export interface TargetBuilds {
  /** The table of known builds: build, release name, its sources' titles. */
  readonly builds: readonly {
    readonly build: number;
    readonly release: string;
    readonly sources: readonly { readonly title: string; readonly url: string }[];
  }[];
  /** Field paths the table knows, with what they are. */
  readonly fields: readonly { readonly path: string; readonly description: string }[];
  /** The build saved bytes are assembled for. */
  readonly referenceBuild: number;
}

/** One code block of an action, resolved for a target. */
export interface ResolvedCode {
  /** The bytes for the target, or null when a field could not be resolved or it does not assemble. */
  readonly bytesHex: string | null;
  readonly fields: readonly FieldResolution[];
  /** Why there are no bytes (each a sentence naming the field or the line). */
  readonly errors: readonly string[];
}

/** An action's log form: the payload a script prints, or why there is none. */
export type LogForm =
  | {
      readonly payload: RecordPayload;
      /** The script printing one HDBG1 record line per trigger. */
      readonly script: string;
      /** How the code became expressions (`gs:[0x188] is $thread`...), for a derived form. */
      readonly notes: readonly string[];
    }
  | { readonly payload: null; readonly reason: string };

export interface ResolvedAction {
  readonly actionId: string;
  readonly version: number;
  /** The target in words (`Windows 10 1909 (build 18363), the connected target`). */
  readonly resolvedFor: string;
  readonly build: number | null;
  /** The source names structure fields: its bytes depend on the build. */
  readonly symbolic: boolean;
  /** Null for actions without code. */
  readonly code: ResolvedCode | null;
  readonly condition: ResolvedCode | null;
  /** Null for actions that are not custom code. */
  readonly logForm: LogForm | null;
}

export interface DryRunAccess {
  /** Offset of the instruction in the code, or null outside it. */
  readonly offset: number | null;
  /** Its source line and listing text, when known. */
  readonly line: number | null;
  readonly instruction: string | null;
  readonly kind: 'read' | 'write' | 'fault';
  readonly faultType: string | null;
  readonly address: string;
  readonly size: number;
  readonly value: string | null;
  /** What the guest has there (`EPROCESS of notepad.exe (pid 0x1f4) + 0x450 (ImageFileName)`). */
  readonly region: string;
  /** What the listing says the operand means (`KTHREAD.ApcState.Process`), when it says. */
  readonly meaning: string | null;
}

export interface DryRunRun {
  readonly outcome: 'returned' | 'fault' | 'runaway';
  readonly rax: string | null;
  readonly error: string | null;
  readonly rip: string | null;
  readonly steps: number;
  readonly accesses: readonly DryRunAccess[];
  readonly truncated: boolean;
}

export interface DryRunSampleReport {
  readonly occurrence: string;
  readonly core: number;
  readonly context: string;
  readonly condition: DryRunRun | null;
  /** Null when the condition skipped the actions. */
  readonly code: DryRunRun | null;
  /** GUEST_REGS fields the code changed: what the guest would see after the actions. */
  readonly regsChanged: readonly {
    readonly reg: string;
    readonly before: string;
    readonly after: string;
    readonly note: string | null;
  }[];
  /** The record a target that returns buffers sends, decoded by the schema. */
  readonly record: {
    readonly hex: string;
    readonly fields: readonly {
      readonly name: string;
      readonly display: string;
      /** blank, zero or invalid: what decode sanity would flag. */
      readonly problem: string | null;
    }[];
  } | null;
  readonly recordNote: string | null;
}

export interface DryRunReport {
  readonly actionName: string;
  readonly eventKind: EventKind;
  readonly args: readonly string[];
  readonly build: number;
  /** The build the fields were resolved for, in words. */
  readonly resolvedFor: string;
  /** The guest layout the simulator used. */
  readonly layout: string;
  readonly fields: readonly FieldResolution[];
  readonly listing: readonly ListingLine[];
  readonly warnings: readonly string[];
  readonly samples: readonly DryRunSampleReport[];
  /** A few sentences: what it reads and writes, whether it faults, what the records hold. */
  readonly summary: readonly string[];
  /** The whole report as text (what `asm --dry-run` prints). */
  readonly text: string;
}

const buildSchema = z.number().int().min(1).max(99_999);
const codeSourceSchema = z.string().max(MAX_SOURCE_LENGTH);

export const dryRunInputSchema = z
  .object({
    /** A saved action, or the editor's unsaved draft (code source, condition, buffer, schema). */
    actionId: z.string().min(1).max(64).optional(),
    draft: z
      .object({
        name: z.string().max(200).default('(unsaved draft)'),
        code: codeSourceSchema.nullable(),
        condition: codeSourceSchema.nullable().default(null),
        bufferSize: bufferSizeSchema.default(0),
        bufferSchema: z.array(bufferFieldSchema).max(MAX_SCHEMA_FIELDS).default([]),
      })
      .strict()
      .optional(),
    eventKind: eventKindSchema,
    args: z.array(z.string().max(200)).max(8).default([]),
    /** The build to run on; default: the connected target's (or the reference build). */
    build: buildSchema.optional(),
    samples: z.number().int().min(1).max(MAX_DRY_RUN_SAMPLES).default(4),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    /** What the target does with custom code, when not the connected one's (the CLI's --target). */
    target: targetCapabilitySchema.optional(),
  })
  .strict()
  .refine((v) => (v.actionId === undefined) !== (v.draft === undefined), {
    message: 'give either an action id or a draft',
    path: ['actionId'],
  });
export type DryRunInput = z.input<typeof dryRunInputSchema>;

export const targetMethods = {
  /** The table of known Windows builds and the fields it knows. */
  'target:builds': method<TargetBuilds>()(
    'The table of known Windows builds.',
    z.object({}).strict(),
  ),
  /**
   * An action resolved for the connected target (or a chosen build): structure fields to
   * offsets from its symbols or the table, its bytes, and its log form (derived or authored).
   */
  'target:resolve-action': method<ResolvedAction>()(
    'Resolves an action for the target: offsets, bytes and log form.',
    z.object({ id: z.string().min(1).max(64), build: buildSchema.optional() }).strict(),
  ),
  /** Runs an action on sample events of a synthetic guest of the target's build. */
  'target:dry-run': method<DryRunReport>()(
    "Runs an action on a synthetic guest of the target's build and reports what it does.",
    dryRunInputSchema,
  ),
} as const;
