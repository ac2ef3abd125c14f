// What every row of a stored record carries, however it is shown: the live log's table row, an
// export record and the session database's own row all start with these fields. Pure.

export interface RecordRowBase {
  /** Arrival index in the session database (0-based, gapless). */
  readonly seq: number;
  /** Host time the record was parsed, ms since the epoch. */
  readonly receivedAt: number;
  /** The CLI process it came from: event ids restart at 0 in a new process (spec §2.4). */
  readonly generation: number;
  readonly eventId: number;
  readonly core: number;
  /** The event's Context as lower-case hex without `0x` (64 bits). */
  readonly context: string;
  /** Payload length in bytes. */
  readonly length: number;
}

/** Just the base fields of a row (a stored record carries its bytes too; a view must not). */
export function recordRowBase(r: RecordRowBase): RecordRowBase {
  return {
    seq: r.seq,
    receivedAt: r.receivedAt,
    generation: r.generation,
    eventId: r.eventId,
    core: r.core,
    context: r.context,
    length: r.length,
  };
}
