// The session's events: predicts each new event's ID by spec §3.1's consumption rule, confirms
// it from the `events` listing (spec §4: text cut at 70 characters), tracks enable, disable and
// clear (Debugger Mode clears only when the debuggee continues), keeps the binding and source
// action of the events the app created, and learns foreign events from the listing. Host side;
// pure logic.
import type { EventInfo, EventLifecycle, EventSource } from '../../../shared/contract/session';
import { eventsListingText } from '../../../shared/hyperdbg/cliLine';
import type { EventsRowItem } from '../../../shared/hyperdbg/items';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { isEventKind, type EventKind } from '../../../shared/model/eventKinds';
import { cliTokens } from './commandLine';
import { eventCommandVerdict, eventKindOfLine } from './idConsumption';

/**
 * Debugger Mode's pre-allocated regular instant events (`MAXIMUM_REGULAR_INSTANT_EVENTS`, spec
 * §11.1): more need `prealloc` first.
 */
export const DEBUGGER_MODE_MAX_EVENTS = 20;

interface Entry {
  id: number;
  kind: EventKind | null;
  state: EventLifecycle;
  command: string;
  listed: string | null;
  /** What `events` should list for it (null for foreign events learnt from the listing). */
  expected: string | null;
  binding: EventBinding | null;
  source: EventSource | null;
  foreign: boolean;
  printsRecords: boolean;
  createdAt: number | null;
  /** Its ID has been seen in the listing with the expected text. */
  confirmed: boolean;
}

export interface NewEventInfo {
  readonly binding?: EventBinding | null;
  readonly source?: EventSource | null;
  /** Typed in the console rather than created by the app. */
  readonly foreign: boolean;
  readonly printsRecords: boolean;
  readonly at: number;
}

export type RegistryVerdict =
  | { readonly created: true; readonly id: number }
  | { readonly created: false; readonly usedId: boolean };

/** Listing text compared the way ConPTY may change it: trailing blanks and runs of blanks. */
function sameListing(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

function kindOfListed(text: string): EventKind | null {
  const first = cliTokens(text)[0]?.toLowerCase();
  if (first === undefined) return null;
  return isEventKind(first) ? first : eventKindOfLine(first);
}

export class EventRegistry {
  private nextId = 0;
  private readonly entries = new Map<number, Entry>();

  /** The ID the next event command will take (spec §3.1). */
  get predictedNextId(): number {
    return this.nextId;
  }

  /** A new CLI process, or a Debugger-Mode debuggee that disconnected: IDs restart at 0 (§2.4). */
  reset(): void {
    this.nextId = 0;
    this.entries.clear();
  }

  /** Events oldest first. */
  list(): EventInfo[] {
    return [...this.entries.values()].sort((a, b) => a.id - b.id).map(toInfo);
  }

  get(id: number): EventInfo | undefined {
    const e = this.entries.get(id);
    return e === undefined ? undefined : toInfo(e);
  }

  /** The newest event the app created with exactly this command line. */
  findByCommand(line: string): EventInfo | undefined {
    let best: Entry | undefined;
    for (const e of this.entries.values())
      if (e.command === line && e.id >= 0 && (best === undefined || e.id > best.id)) best = e;
    return best === undefined ? undefined : toInfo(best);
  }

  /** Events the Debugger-Mode kernel still holds (clear-pending ones until `g`, spec §4). */
  kernelSlots(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.state !== 'cleared') n++;
    return n;
  }

  /**
   * An event command was answered with these error codes: applies the consumption rule and
   * records the new event when it was created.
   */
  noteEventCommand(
    line: string,
    errorCodes: readonly string[],
    info: NewEventInfo,
  ): RegistryVerdict {
    const v = eventCommandVerdict(line, errorCodes);
    if (!v.usedId) return { created: false, usedId: false };
    const id = this.nextId++;
    if (!v.created) return { created: false, usedId: true };
    this.entries.set(id, {
      id,
      kind: eventKindOfLine(line),
      state: 'active',
      command: line,
      listed: null,
      expected: eventsListingText(line),
      binding: info.binding ?? null,
      source: info.source ?? null,
      foreign: info.foreign,
      printsRecords: info.printsRecords,
      createdAt: info.at,
      confirmed: false,
    });
    return { created: true, id };
  }

  /** `events e|d|c <id|all>` succeeded. In Debugger Mode a clear waits for the next `g` (§4). */
  noteStateChange(
    target: number | 'all',
    op: 'enable' | 'disable' | 'clear',
    debuggerMode: boolean,
  ): void {
    for (const e of this.entries.values()) {
      if (target !== 'all' && e.id !== target) continue;
      if (e.state === 'cleared' || e.state === 'clear-pending') continue;
      if (op === 'enable') e.state = 'active';
      else if (op === 'disable') e.state = 'disabled';
      else e.state = debuggerMode ? 'clear-pending' : 'cleared';
    }
  }

  /** The Debugger-Mode debuggee continued: pending clears are done (spec §4). */
  noteContinued(): void {
    for (const e of this.entries.values()) if (e.state === 'clear-pending') e.state = 'cleared';
  }

  /**
   * Reconciles with the rows of an `events` listing: confirms predicted IDs (moving an event
   * whose prediction was wrong to the ID that lists its text), learns foreign events, marks
   * events no longer listed as cleared, and never lets the next ID fall behind the listing.
   */
  applyListing(rows: readonly EventsRowItem[], at: number): void {
    const listedIds = new Set<number>();
    for (const row of rows) {
      listedIds.add(row.id);
      let e = this.entries.get(row.id);
      if (
        e !== undefined &&
        !e.confirmed &&
        e.expected !== null &&
        !sameListing(e.expected, row.command)
      ) {
        // Another event holds this ID, so ours took a different one (a failure we could not
        // see used one up): park it until a row with its text turns up.
        this.park(e);
        e = undefined;
      }
      if (e === undefined) {
        const moved = [...this.entries.values()].find(
          (c) => !c.confirmed && c.expected !== null && sameListing(c.expected, row.command),
        );
        if (moved !== undefined) {
          this.entries.delete(moved.id);
          moved.id = row.id;
          this.entries.set(row.id, moved);
          e = moved;
        }
      }
      if (e === undefined) {
        e = {
          id: row.id,
          kind: kindOfListed(row.command),
          state: 'active',
          command: row.command,
          listed: row.command,
          expected: null,
          binding: null,
          source: null,
          foreign: true,
          printsRecords: false,
          createdAt: at,
          confirmed: true,
        };
        this.entries.set(row.id, e);
      }
      e.confirmed = true;
      e.listed = row.command;
      if (e.state !== 'clear-pending') e.state = row.enabled ? 'active' : 'disabled';
      if (row.id >= this.nextId) this.nextId = row.id + 1;
    }
    for (const [id, e] of [...this.entries]) {
      if (id < 0) {
        // A parked prediction no row confirmed: the event is not in the CLI's list.
        this.entries.delete(id);
        continue;
      }
      if (!listedIds.has(id) && (e.state === 'active' || e.state === 'disabled'))
        e.state = 'cleared';
    }
  }

  private park(e: Entry): void {
    this.entries.delete(e.id);
    e.id = -1 - e.id;
    this.entries.set(e.id, e);
  }
}

function toInfo(e: Entry): EventInfo {
  return {
    id: e.id.toString(16),
    kind: e.kind,
    state: e.state,
    command: e.command,
    listed: e.listed,
    binding: e.binding,
    source: e.source,
    foreign: e.foreign,
    printsRecords: e.printsRecords,
    createdAt: e.createdAt,
  };
}
