// Per-event accounting written to --stats-file on exit, so a capture can prove it lost nothing:
// how often each event triggered, how many messages and HDBG1 records its actions produced, and
// where any went (printed, overwritten in the kernel ring, discarded while paused), and triggers
// by process (the ground truth of counts kept in the target), in all and up to each event's last
// message (what a table printed every period counted). Simulator side.
import { writeFileSync } from 'node:fs';

export interface EventCounters {
  triggers: number;
  /** Packets its actions produced (script printf/print lines and HDBG1 records). */
  messages: number;
  /** HDBG1 record lines produced from returned buffers (buffer-records.md §4). */
  records: number;
  /** Packets written to the console. */
  emitted: number;
  /** Packets the 1000-slot kernel ring overwrote before the reader got them (spec §6.1). */
  dropped: number;
  /** Packets read and thrown away while paused, or cleared by `flush` (spec §2.7, §6.4). */
  discarded: number;
  /** Packets the event produced that no-one read yet (still queued in the ring at exit). */
  pending: number;
  /** Packets handed to the event's output sources, the CLI reporting success (spec §6.4). */
  forwarded: number;
  /** Packets the CLI swallowed with "err, there was an error transferring the message..." */
  forwardFailed: number;
}

const zeroCounters = (): EventCounters => ({
  triggers: 0,
  messages: 0,
  records: 0,
  emitted: 0,
  dropped: 0,
  discarded: 0,
  pending: 0,
  forwarded: 0,
  forwardFailed: 0,
});

/** The machine's bug check, as --stats-file reports it (hex strings, as HyperDbg prints numbers). */
export interface BugCheckReport {
  /** The bug-check code, e.g. 0xfc. */
  readonly code: number;
  readonly name: string;
  /** The event (ID as `events` lists it, hex) whose action triggered it. */
  readonly event: string;
  readonly action: string;
  /** Where execution was attempted (hex). */
  readonly address: string;
  readonly core: number;
  /** Local VMI: the machine running the CLI; Debugger Mode: the debuggee. */
  readonly machine: 'local' | 'debuggee';
}

export class SimStats {
  private readonly events = new Map<number, EventCounters>();
  /** Triggers per event by the current process's ImageFileName (what `$proc` names). */
  private readonly byProcess = new Map<number, Map<string, number>>();
  /**
   * Per event, the triggers (in all and by process) up to its last message: the truth a count
   * printed by the event's own script (an HDBGT table, buffer-records.md §7) must equal, however
   * many triggers came after it. Kept as the sum at the last message plus what came since, so a
   * message costs only the processes seen since the one before.
   */
  private readonly atMessage = new Map<
    number,
    { triggers: number; byProcess: Map<string, number>; since: Map<string, number> }
  >();
  occurrences = 0;
  /** Set when the simulated machine bug-checked (spec §5.6); null while it runs. */
  bugcheck: BugCheckReport | null = null;

  counters(eventId: number): EventCounters {
    let c = this.events.get(eventId);
    if (c === undefined) {
      c = zeroCounters();
      this.events.set(eventId, c);
    }
    return c;
  }

  countProcess(eventId: number, imageFileName: string): void {
    let m = this.byProcess.get(eventId);
    if (m === undefined) {
      m = new Map();
      this.byProcess.set(eventId, m);
    }
    m.set(imageFileName, (m.get(imageFileName) ?? 0) + 1);
    const a = this.atMessageOf(eventId);
    a.since.set(imageFileName, (a.since.get(imageFileName) ?? 0) + 1);
  }

  /**
   * The event's action produced a message (a packet, delivered or not): the triggers counted so
   * far are the ones it could report. Triggers are counted before their actions run.
   */
  messageProduced(eventId: number): void {
    const a = this.atMessageOf(eventId);
    a.triggers = this.counters(eventId).triggers;
    for (const [name, n] of a.since) a.byProcess.set(name, (a.byProcess.get(name) ?? 0) + n);
    a.since.clear();
  }

  private atMessageOf(eventId: number) {
    let a = this.atMessage.get(eventId);
    if (a === undefined) {
      a = { triggers: 0, byProcess: new Map(), since: new Map() };
      this.atMessage.set(eventId, a);
    }
    return a;
  }

  snapshot(extra: Record<string, unknown>): Record<string, unknown> {
    const events: Record<string, EventCounters> = {};
    const totals = zeroCounters();
    for (const [id, c] of [...this.events.entries()].sort((a, b) => a[0] - b[0])) {
      events[id.toString(16)] = { ...c };
      for (const k of Object.keys(totals) as (keyof EventCounters)[]) totals[k] += c[k];
    }
    return {
      ...extra,
      occurrences: this.occurrences,
      ...(this.bugcheck === null ? {} : { bugcheck: this.bugcheck }),
      events,
      totals,
      triggersByProcess: Object.fromEntries(
        [...this.byProcess.entries()].map(([id, m]) => [id.toString(16), Object.fromEntries(m)]),
      ),
      // Only events that produced a message: the triggers up to it, in all and by process.
      atLastMessage: Object.fromEntries(
        [...this.atMessage.entries()]
          .filter(([id]) => (this.events.get(id)?.messages ?? 0) > 0)
          .map(([id, a]) => [
            id.toString(16),
            { triggers: a.triggers, triggersByProcess: Object.fromEntries(a.byProcess) },
          ]),
      ),
    };
  }

  writeFile(path: string, extra: Record<string, unknown>): void {
    writeFileSync(path, `${JSON.stringify(this.snapshot(extra), null, 2)}\n`);
  }
}
