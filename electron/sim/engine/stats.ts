// Per-event accounting written to --stats-file on exit, so a capture can prove it lost nothing:
// how often each event triggered, how many messages and HDBG1 records its actions produced, and
// where any went (printed, overwritten in the kernel ring, discarded while paused), and triggers
// by process (the ground truth of counts kept in the target). Simulator side.
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
    };
  }

  writeFile(path: string, extra: Record<string, unknown>): void {
    writeFileSync(path, `${JSON.stringify(this.snapshot(extra), null, 2)}\n`);
  }
}
