// The dry-run port's wire format: JSON lines between the app and `sim --dry-run-server`, which
// runs an action's code on sample events of a synthetic guest (Unicorn) and reports every
// memory access. Both sides validate every line with these schemas. Pure.
import { z } from 'zod';
import { EVENT_KINDS } from './eventKinds';
import { MAX_RECORD_BYTES } from './bufferSchema';

export const DRY_RUN_WIRE_VERSION = 1;
/** Sample events one request may ask for: enough to see variety, few enough to read. */
export const MAX_DRY_RUN_SAMPLES = 16;
/** Code bytes one request may carry (the action model's limit, 64 KiB). */
export const MAX_DRY_RUN_CODE_BYTES = 65_536;
/** Accesses reported per run; a loop that runs away stops being recorded past this. */
export const MAX_REPORTED_ACCESSES = 2_000;
/** A request line's size bound (hex code of 64 KiB is 128 KiB of text). */
export const MAX_DRY_RUN_LINE_CHARS = 200_000;

const hex64 = z.string().regex(/^[0-9a-f]{1,16}$/, 'a 64-bit value in lower-case hex');
const codeHex = z
  .string()
  .max(MAX_DRY_RUN_CODE_BYTES * 2)
  .regex(/^(?:[0-9A-F]{2})+$/, 'code is upper-case hex pairs');

export const dryRunRequestSchema = z.discriminatedUnion('op', [
  z.object({ id: z.number().int().min(0), op: z.literal('ping') }).strict(),
  z
    .object({
      id: z.number().int().min(0),
      op: z.literal('run'),
      /** The Windows build whose layouts the guest uses. */
      build: z.number().int().min(1).max(99_999),
      /** Seed of the guest and its sample events: the same seed, the same samples. */
      seed: z.number().int().min(0).max(0xffffffff),
      eventKind: z.enum(EVENT_KINDS),
      /** The event's arguments as the binder has them (`nt!ExAllocatePoolWithTag`, `55`). */
      args: z.array(z.string().max(200)).max(8),
      samples: z.number().int().min(1).max(MAX_DRY_RUN_SAMPLES),
      code: codeHex.nullable(),
      condition: codeHex.nullable(),
      bufferSize: z.number().int().min(0).max(MAX_RECORD_BYTES),
      maxInstructions: z.number().int().min(1).max(10_000_000),
    })
    .strict(),
]);
export type DryRunRequest = z.infer<typeof dryRunRequestSchema>;
export type DryRunRunRequest = Extract<DryRunRequest, { op: 'run' }>;

export const wireAccessSchema = z
  .object({
    /** Offset of the instruction in the code, or null when it was outside it. */
    offset: z.number().int().min(0).nullable(),
    kind: z.enum(['read', 'write', 'fault']),
    faultType: z.string().max(40).nullable(),
    address: hex64,
    size: z.number().int().min(0).max(64),
    value: hex64.nullable(),
    /** What the simulator knows is there (`EPROCESS of notepad.exe (pid 1234) + 0x450`). */
    region: z.string().max(300),
  })
  .strict();
export type WireAccess = z.infer<typeof wireAccessSchema>;

export const wireRunSchema = z
  .object({
    outcome: z.enum(['returned', 'fault', 'runaway']),
    rax: hex64.nullable(),
    /** Unicorn's error (`UC_ERR_READ_UNMAPPED`) for a fault. */
    error: z.string().max(60).nullable(),
    /** Where it stopped, for a fault or a runaway. */
    rip: hex64.nullable(),
    /** Offsets of the instructions executed, in order (capped). */
    executed: z.array(z.number().int().min(-1)).max(MAX_REPORTED_ACCESSES),
    accesses: z.array(wireAccessSchema).max(MAX_REPORTED_ACCESSES),
    /** More accesses happened than are reported. */
    truncated: z.boolean(),
  })
  .strict();
export type WireRun = z.infer<typeof wireRunSchema>;

export const wireSampleSchema = z
  .object({
    core: z.number().int().min(0),
    process: z.object({ pid: z.number().int().min(0), name: z.string().max(40) }).strict(),
    tid: z.number().int().min(0),
    /** What the event is in words (`syscall 0x55 (NtCreateFile) from notepad.exe`). */
    occurrence: z.string().max(300),
    context: hex64,
    /** GUEST_REGS before the actions ran, rax first. */
    regs: z.array(hex64).length(16),
    condition: wireRunSchema.nullable(),
    /** Null when the condition returned 0 (the actions were skipped). */
    code: wireRunSchema.nullable(),
    /** GUEST_REGS after: a difference is a change the guest would see. */
    regsAfter: z.array(hex64).length(16),
    /** The bytes a target that returns buffers sends: `bufferSize` bytes from RAX. */
    record: z
      .object({ address: hex64, bytes: z.string().regex(/^(?:[0-9a-f]{2})*$/) })
      .strict()
      .nullable(),
    /** Why there is no record (no buffer, RAX 0, RAX unreadable...). */
    recordNote: z.string().max(300).nullable(),
  })
  .strict();
export type WireSample = z.infer<typeof wireSampleSchema>;

export const dryRunResultSchema = z
  .object({
    build: z.number().int(),
    /** The release whose layout the guest uses (`Windows 10 1909`). */
    layout: z.string().max(80),
    codeAddress: hex64.nullable(),
    conditionAddress: hex64.nullable(),
    bufferAddress: hex64.nullable(),
    regsAddress: hex64,
    entryRsp: hex64,
    samples: z.array(wireSampleSchema).max(MAX_DRY_RUN_SAMPLES),
  })
  .strict();
export type DryRunResult = z.infer<typeof dryRunResultSchema>;

export const dryRunResponseSchema = z.union([
  z.object({ ready: z.literal(true), version: z.literal(DRY_RUN_WIRE_VERSION) }).strict(),
  z.object({ id: z.number().int().min(0), ok: z.literal(true), pong: z.literal(true) }).strict(),
  z
    .object({ id: z.number().int().min(0), ok: z.literal(true), result: dryRunResultSchema })
    .strict(),
  z
    .object({ id: z.number().int().min(-1), ok: z.literal(false), error: z.string().max(2000) })
    .strict(),
]);
export type DryRunResponse = z.infer<typeof dryRunResponseSchema>;
