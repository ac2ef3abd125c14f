// The latest count table of each counted-in-the-target event (buffer-records.md §7), as the Counts
// pane shows it: exact totals up to that table. A few tables per second at most, so kept in
// memory; a table with a lower seq than the one held (a reordered packet) is ignored. Host side.
import { keyText } from '../../../shared/delivery/countedTable';
import type { TargetCountTable } from '../../../shared/contract/log';
import type { IngestedCountTable } from './sink';

export class TargetCounts {
  private readonly latest = new Map<string, TargetCountTable>();
  /** Each event's first table: the rate is measured from it, over every period since. */
  private readonly first = new Map<string, { readonly total: number; readonly at: number }>();

  add(t: IngestedCountTable): void {
    const id = `${t.generation}:${t.table.eventId}`;
    const held = this.latest.get(id);
    if (held !== undefined && held.seq >= t.table.seq) return;
    const first = this.first.get(id);
    if (first === undefined) this.first.set(id, { total: Number(t.table.total), at: t.receivedAt });
    const seconds = first === undefined ? 0 : (t.receivedAt - first.at) / 1000;
    this.latest.set(id, {
      generation: t.generation,
      eventId: t.table.eventId,
      seq: t.table.seq,
      total: Number(t.table.total),
      other: Number(t.table.other),
      receivedAt: t.receivedAt,
      // Arrival times carry the path's jitter (a reader's 30 ms, a guest's bursts): measured
      // from the first table, over every period since, it averages out.
      triggersPerSecond:
        first !== undefined && seconds > 0 ? (Number(t.table.total) - first.total) / seconds : null,
      entries: t.table.entries
        .map((e) => ({ key: keyText(e.key), keyHex: e.key.toString(16), count: Number(e.count) }))
        .sort((a, b) => b.count - a.count),
    });
  }

  /** Newest CLI process first, then by event id. */
  list(): TargetCountTable[] {
    return [...this.latest.values()].sort(
      (a, b) => b.generation - a.generation || a.eventId - b.eventId,
    );
  }
}
