// The per-event log form of a record payload: one script that numbers each trigger per core and
// prints one HDBG2 record line (`HDBG2 <event> <core> <seq> <context> <length> <words...>`,
// lower-case hex, words unpadded; buffer-records.md §2a), so the log can count what the target's
// ring overwrote (shared/log/sequenceGaps.ts). Pure.
import { RECORD_PREFIX_V2 } from '../model/record';
import type { RecordPayload } from '../model/recordPayload';

/**
 * Cores whose sequence numbers get a slot of their own: the simulator plays 1-64 and v0.23's
 * `$core` is the processor index. On a machine with more, core c shares slot c & 3f with
 * another core; docs/buffer-records.md §2a says what that does to the count.
 */
export const SEQUENCE_CORES = 64;
/** Bytes of the script action's `$buffer` holding one 64-bit counter per core slot. */
export const SEQUENCE_BUFFER_BYTES = SEQUENCE_CORES * 8;

/**
 * The address of this core's counter in the action's own `$buffer` (spec §5.2: allocated and
 * zeroed once per action, kept across triggers, so each event counts its own records from 1).
 * A per-core slot needs no atomic operation: a core runs one action at a time in VMX root.
 * Globals (`.name`) cannot be indexed by core in v0.23 (spec §5.1), the buffer can.
 */
export const SEQUENCE_SLOT = `$buffer + ($core & ${(SEQUENCE_CORES - 1).toString(16)}) * 8`;

/** The statement that counts this trigger: the core's counter plus one. */
export const SEQUENCE_INCREMENT = `eq(${SEQUENCE_SLOT}, dq(${SEQUENCE_SLOT}) + 1);`;

/**
 * The script body for `script { ... }` (bind it with `buffer 200`, SEQUENCE_BUFFER_BYTES):
 * count the trigger, then print `$event_id`, `$core`, the count, `$context`, the length and
 * the words. v0.23's printf takes no widths (`%02x` is a syntax error in script-engine.c),
 * which HDBG2's unpadded hex needs none of. The payload's expressions were checked to stay one
 * printf argument each.
 */
export function payloadToRecordScript(payload: RecordPayload): string {
  const formats = ['%x', '%x', '%llx', '%llx', '%x', ...payload.words.map(() => '%llx')].join(' ');
  const args = [
    '$event_id',
    '$core',
    `dq(${SEQUENCE_SLOT})`,
    '$context',
    `0x${payload.length.toString(16)}`,
    ...payload.words,
  ].join(', ');
  return `${SEQUENCE_INCREMENT} printf("${RECORD_PREFIX_V2}${formats}\\n", ${args});`;
}
