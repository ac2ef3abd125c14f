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

/**
 * Most characters one printf may put in a packet: v0.23 drops a message whose length with its
 * NUL exceeds PacketChunkSize - 1, silently (docs/hyperdbg-v0.23.md §6.1).
 */
export const PACKET_MAX_CHARS = 4094;
/** Packets per second v0.23's local reader takes: one, then Sleep(30) (spec §6.1). */
export const READER_PACKETS_PER_S = 33;
/**
 * Script globals a batch may use. v0.23 has 512 (MAX_VAR_COUNT) for the whole system and never
 * frees a name during a CLI session (spec §5.1): a batch takes at most about half, so a second
 * batched event (or the user's own scripts) still fit.
 */
export const BATCH_MAX_GLOBALS = 270;
/**
 * Widest a batched record line's fields are assumed to print: event id < 0x1000, core < 0x40
 * (SEQUENCE_CORES), sequence number < 2^32, Context and words 16 digits. A line wider than this
 * (a sequence number past 2^32) makes its packet too long: the kernel drops it and the gaps
 * count it, so the assumption fails loudly, never silently.
 */
const EVENT_DIGITS = 3;
const CORE_DIGITS = 2;
const SEQ_DIGITS = 8;
const U64_DIGITS = 16;

/** The widest line a batch prints for a payload of `length` bytes, `\n` included. */
export function batchLineChars(length: number): number {
  const words = Math.ceil(length / 8);
  const lengthDigits = length.toString(16).length;
  return (
    RECORD_PREFIX_V2.length +
    EVENT_DIGITS +
    1 +
    CORE_DIGITS +
    1 +
    SEQ_DIGITS +
    1 +
    U64_DIGITS +
    1 +
    lengthDigits +
    words * (1 + U64_DIGITS) +
    1
  );
}

/** Globals one batch slot takes: core, sequence number, Context and the words. */
function slotGlobals(length: number): number {
  return 3 + Math.ceil(length / 8);
}

/** The largest K a payload allows: one packet's characters and the globals' budget. */
export function maxBatchSize(length: number): number {
  return Math.max(
    1,
    Math.min(
      Math.floor(PACKET_MAX_CHARS / batchLineChars(length)),
      Math.floor((BATCH_MAX_GLOBALS - 1) / slotGlobals(length)),
    ),
  );
}

/**
 * K for an event triggering `ratePerS` times a second: enough records per packet that the
 * reader's packets carry them all (with a margin of a quarter for bursts), at most what a packet
 * holds. Below the reader's rate a batch would only add latency: 1 (per event) then.
 */
export const BATCH_RATE_MARGIN = 1.25;
export function chooseBatchSize(ratePerS: number, length: number): number {
  const need = Math.ceil((Math.max(0, ratePerS) * BATCH_RATE_MARGIN) / READER_PACKETS_PER_S);
  return Math.max(1, Math.min(maxBatchSize(length), need));
}

/** How long a record waits in its batch at `ratePerS` triggers a second: K / rate, in seconds. */
export function batchLatencyS(k: number, ratePerS: number): number | null {
  return ratePerS > 0 ? k / ratePerS : null;
}

/**
 * The batched log form (buffer-records.md §2b): each trigger counts itself per core (as the
 * per-event form does), keeps its record in slot n of K script globals under a spinlock (all
 * cores share the batch; v0.23 globals cannot be indexed, so the slot is picked by an
 * if/elsif chain), and the trigger that fills slot K-1 prints the K record lines in one printf:
 * one packet of at most PACKET_MAX_CHARS. `tag` keeps two batched events' globals apart (2-4
 * letters or digits, a fresh one per binding: globals outlive their event). A batch not yet
 * full when the event is disabled stays in the globals and is never printed.
 */
export function payloadToBatchScript(payload: RecordPayload, k: number, tag: string): string {
  if (!/^[a-z][a-z0-9]{1,3}$/.test(tag)) throw new Error(`batch tag '${tag}': 2-4 letters/digits`);
  if (!Number.isInteger(k) || k < 2 || k > maxBatchSize(payload.length))
    throw new Error(`batch size ${k}: 2 to ${maxBatchSize(payload.length)} for this payload`);
  const g = `.h${tag}`;
  const words = payload.words.length;
  const slot = (i: number): string => {
    const h = i.toString(16);
    const stores = [
      `${g}c${h} = $core;`,
      `${g}q${h} = dq(${SEQUENCE_SLOT});`,
      `${g}x${h} = $context;`,
      ...payload.words.map((w, j) => `${g}w${h}_${j} = ${w};`),
    ];
    return `(${g}n == ${h}) { ${stores.join(' ')} }`;
  };
  const chain = Array.from({ length: k }, (_, i) => slot(i)).join(' elsif ');
  const line = `${RECORD_PREFIX_V2}%x %x %llx %llx ${payload.length.toString(16)}${' %llx'.repeat(words)}\\n`;
  const args = Array.from({ length: k }, (_, i) => {
    const h = i.toString(16);
    return [
      '$event_id',
      `${g}c${h}`,
      `${g}q${h}`,
      `${g}x${h}`,
      ...payload.words.map((_w, j) => `${g}w${h}_${j}`),
    ].join(', ');
  }).join(', ');
  return [
    // Registers the counter and lock names without running: a global is assigned before use.
    `if (0) { ${g}n = 0; ${g}l = 0; }`,
    SEQUENCE_INCREMENT,
    `spinlock_lock(&${g}l);`,
    `if ${chain}`,
    `${g}n = ${g}n + 1;`,
    `if (${g}n == ${k.toString(16)}) { printf("${line.repeat(k)}", ${args}); ${g}n = 0; }`,
    `spinlock_unlock(&${g}l);`,
  ].join(' ');
}
