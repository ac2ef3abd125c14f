// An event binding: exactly what one HyperDbg event command can carry (spec §3.1): one kind with
// its arguments, the filters, at most one condition, one custom-code action, one script action
// and one `buffer` size they share. Pure. The schema checks the shape; the command builder
// (shared/hyperdbg/commandBuilder.ts) checks every value against HyperDbg's grammar.
import { z } from 'zod';
import { EVENT_KINDS } from './eventKinds';
import { EVENT_STAGES } from './eventCatalog';

/** Most output sinks one event can forward to (`InterpretOutput`, spec §3.4). */
export const MAX_OUTPUT_SINKS = 5;

/** Upper bound on any single string field, in characters, before the grammar is even tried. */
export const MAX_FIELD_CHARS = 1_000_000;

const text = z.string().max(MAX_FIELD_CHARS);

export const eventBindingSchema = z
  .object({
    /** The event command, e.g. `!syscall` (spec §3.8). */
    kind: z.enum(EVENT_KINDS),
    /** Positional arguments after the kind, e.g. `["55"]` (catalog: eventCatalog.ts). */
    args: z.array(text).max(16).optional(),
    /** `pid <hex>` or `pid all`. */
    pid: text.optional(),
    /** `core <hex>`. */
    core: text.optional(),
    stage: z.enum(EVENT_STAGES).optional(),
    /** Short-circuiting (`sc on|off`), only meaningful with stage `pre` (§3.7). */
    sc: z.enum(['on', 'off']).optional(),
    /** Immediate messaging; `no` shows only the first message of each batch (§6.3). */
    imm: z.enum(['yes', 'no']).optional(),
    /** Names of output sinks created with the `output` command (§6.4). */
    output: z.array(text).max(64).optional(),
    /** `buffer <hex>`: the size every action of the event gets (§3.5), 1..0x3e7. */
    buffer: text.optional(),
    /** Condition code as hex bytes, no spaces; RAX == 0 skips the actions (§3.2, §8). */
    condition: text.optional(),
    /** Custom code as hex bytes, no spaces; the CLI appends `c3` (§3.2). */
    code: text.optional(),
    /** A HyperDbg script; may span lines and hold comments, flattened to one line (§1.3, §5.1). */
    script: text.optional(),
  })
  .strict();

export type EventBinding = Readonly<z.infer<typeof eventBindingSchema>>;

/** A binding's action fields: each carries one action, so wanting two means two events. */
export const ACTION_FIELDS = ['condition', 'code', 'script'] as const;
