// The delivery plan shown before Apply: what the target's path can carry (VMI's reader: packets/s
// of at most 4094 characters; Debugger Mode's link: bytes/s), the event's rate, and what each
// strategy (one record per event, K records per packet, counts kept in the target) delivers and
// loses at that rate; it recommends one. Arithmetic only, so it is unit-tested. Pure.
import { batchLineChars, maxBatchSize } from '../hyperdbg/recordScript';
import { COUNT_TABLE_PREFIX, DEFAULT_TABLE_SLOTS } from './countedTable';
import {
  DEFAULT_PIPE_BYTES_PER_S,
  KERNEL_RING_SLOTS,
  LINK_PACKET_OVERHEAD_BYTES,
  MAX_PACKET_CHARS,
  VMI_PACKETS_PER_S,
  serialBytesPerSecond,
} from './linkBudget';

export type DeliveryStrategy = 'per-event' | 'batched' | 'counted';
export const DELIVERY_STRATEGIES: readonly DeliveryStrategy[] = ['per-event', 'batched', 'counted'];

/** How records leave the target (spec §6.1, §6.2). */
export type DeliveryPath =
  | { readonly kind: 'vmi' }
  | { readonly kind: 'serial'; readonly baud: number }
  | { readonly kind: 'pipe'; readonly bytesPerSecond?: number };

/**
 * A strategy is recommended only when the event's rate stays below this share of what it can
 * carry: rates burst, and VMI's reader runs slower than 33/s on Windows' 15.6 ms timer (spec §6.1).
 */
export const HEADROOM = 0.8;
/** Counted in the target: one table about this often (s), unless the path needs longer. */
export const TABLE_PERIOD_S = 1;
/** A table may use at most this share of the path's packets or bytes. */
const TABLE_SHARE = 0.5;
/** Most records per batch a plan proposes: a batch's latency and what it loses when cut grow with K. */
export const MAX_BATCH_RECORDS = 64;

export interface PlanInput {
  readonly path: DeliveryPath;
  /** Triggers per second of the event. */
  readonly eventsPerSecond: number;
  /** Where the rate comes from: measured on the target, or what the user expects. */
  readonly rateSource: 'observed' | 'expected';
  /** Payload bytes of one record (the action's record length). */
  readonly recordBytes: number;
  /** Strategies this target and action allow, and why the others are not. */
  readonly unavailable?: Readonly<Partial<Record<DeliveryStrategy, string>>>;
  readonly tableSlots?: number;
}

export interface StrategyOutcome {
  readonly strategy: DeliveryStrategy;
  /** Whether it can be used here; when not, `why` says why. */
  readonly available: boolean;
  readonly why: string | null;
  /** Records (or, for counted, triggers counted) per second that reach the app. */
  readonly deliveredPerSecond: number;
  /** Per second that never arrive: overwritten in VMI's ring; 0 in Debugger Mode (the core waits). */
  readonly lostPerSecond: number;
  /** Debugger Mode: triggers/s the target could not make because its cores waited on the link. */
  readonly throttledPerSecond: number;
  readonly packetsPerSecond: number;
  /** Packets/s the strategy would send at this rate, and how many of its size the path carries. */
  readonly neededPacketsPerSecond: number;
  readonly capacityPacketsPerSecond: number;
  readonly bytesPerSecond: number;
  /** Records per packet (batched), triggers per table (counted); 1 for per-event. */
  readonly perPacket: number;
  /** How long a trigger may wait in the target before it is seen (s). */
  readonly latencySeconds: number;
  /** What the user gets: every record, or exact totals by key. */
  readonly gives: string;
}

export interface DeliveryPlan {
  readonly capacity: {
    /** Packets/s the path carries (for the link: of this strategy's packet size, per-event). */
    readonly packetsPerSecond: number;
    readonly bytesPerSecond: number;
    readonly describe: string;
  };
  readonly eventsPerSecond: number;
  readonly rateSource: 'observed' | 'expected';
  readonly outcomes: readonly StrategyOutcome[];
  readonly recommended: DeliveryStrategy;
  readonly reason: string;
}

/**
 * Characters of one record line at its longest: the HDBG2 line the app's log forms print, with
 * its sequence number (buffer-records.md §2a; recordScript.ts says how wide each field may be).
 */
export function recordLineChars(recordBytes: number): number {
  return batchLineChars(recordBytes);
}

/** Characters of one HDBGT table line at its longest (buffer-records.md §7). */
export function tableLineChars(slots: number): number {
  return COUNT_TABLE_PREFIX.length + 4 + 1 + 8 + 1 + 16 + 1 + 16 + 1 + 2 + slots * 2 * 17 + 1;
}

/**
 * The largest batch: K record lines in one packet (4094 characters) whose globals fit v0.23's
 * budget (recordScript.ts maxBatchSize), and no more than MAX_BATCH_RECORDS.
 */
export function maxBatch(recordBytes: number): number {
  return Math.max(1, Math.min(MAX_BATCH_RECORDS, maxBatchSize(recordBytes)));
}

interface Carrier {
  /** Packets/s it can move for packets of `chars` visible characters. */
  packetsFor(chars: number): number;
  readonly bytesPerSecond: number;
  readonly lossy: boolean;
  readonly describe: string;
}

function carrier(path: DeliveryPath): Carrier {
  if (path.kind === 'vmi') {
    return {
      packetsFor: () => VMI_PACKETS_PER_S,
      bytesPerSecond: VMI_PACKETS_PER_S * MAX_PACKET_CHARS,
      lossy: true,
      describe: `VMI mode: one reader takes one packet per 30 ms, about ${Math.round(VMI_PACKETS_PER_S)} packets/s of at most ${MAX_PACKET_CHARS} characters; the ${KERNEL_RING_SLOTS}-slot ring overwrites silently when it falls behind (docs/hyperdbg-v0.23.md §6.1)`,
    };
  }
  const bytes =
    path.kind === 'serial'
      ? serialBytesPerSecond(path.baud)
      : (path.bytesPerSecond ?? DEFAULT_PIPE_BYTES_PER_S);
  return {
    packetsFor: (chars) => bytes / (chars + LINK_PACKET_OVERHEAD_BYTES),
    bytesPerSecond: bytes,
    lossy: false,
    describe:
      path.kind === 'serial'
        ? `Debugger Mode over serial at ${path.baud} baud: ${Math.round(bytes)} bytes/s (8N1), each packet framed by ${LINK_PACKET_OVERHEAD_BYTES} bytes; the sending core waits for the link, so the target slows instead of losing records (docs/hyperdbg-v0.23.md §6.2)`
        : `Debugger Mode over a named pipe: about ${Math.round(bytes)} bytes/s${path.bytesPerSecond === undefined ? ' (assumed)' : ''}; the sending core waits for the link (docs/hyperdbg-v0.23.md §6.2)`,
  };
}

function outcome(
  c: Carrier,
  strategy: DeliveryStrategy,
  rate: number,
  perPacket: number,
  chars: number,
  gives: string,
  latency: number,
): Omit<StrategyOutcome, 'available' | 'why'> {
  const capacity = c.packetsFor(chars);
  const needed = rate / perPacket;
  const packets = Math.min(needed, capacity);
  // Counted: a table that comes late still carries every trigger before it.
  const carried = strategy === 'counted' ? rate : Math.min(rate, packets * perPacket);
  const short = rate - carried;
  return {
    strategy,
    deliveredPerSecond: carried,
    lostPerSecond: c.lossy ? short : 0,
    throttledPerSecond: c.lossy ? 0 : short,
    packetsPerSecond: packets,
    neededPacketsPerSecond: needed,
    capacityPacketsPerSecond: capacity,
    bytesPerSecond: packets * (chars + (c.lossy ? 0 : LINK_PACKET_OVERHEAD_BYTES)),
    perPacket,
    latencySeconds: latency,
    gives,
  };
}

/** Triggers per table so tables come about every TABLE_PERIOD_S, within TABLE_SHARE of the path. */
export function tablePeriodTriggers(path: DeliveryPath, rate: number, slots: number): number {
  const c = carrier(path);
  const tablesPerSecond = c.packetsFor(tableLineChars(slots)) * TABLE_SHARE;
  const seconds = Math.max(TABLE_PERIOD_S, 1 / tablesPerSecond);
  return Math.max(1, Math.round(rate * seconds));
}

export function planDelivery(input: PlanInput): DeliveryPlan {
  const c = carrier(input.path);
  const rate = Math.max(0, input.eventsPerSecond);
  const lineChars = recordLineChars(input.recordBytes);
  const slots = input.tableSlots ?? DEFAULT_TABLE_SLOTS;
  const k = batchSize(c, rate, lineChars, maxBatch(input.recordBytes));
  const period = tablePeriodTriggers(input.path, Math.max(rate, 1), slots);
  const unavailable = input.unavailable ?? {};
  const results: StrategyOutcome[] = [
    {
      ...outcome(c, 'per-event', rate, 1, lineChars, 'every record, one packet each', 0),
    },
    {
      ...outcome(
        c,
        'batched',
        rate,
        k,
        k * lineChars,
        `every record, ${k} per packet`,
        rate > 0 ? k / rate : Number.POSITIVE_INFINITY,
      ),
    },
    {
      ...outcome(
        c,
        'counted',
        rate,
        period,
        tableLineChars(slots),
        `exact totals by key (${slots} keys), no individual records`,
        rate > 0 ? period / rate : Number.POSITIVE_INFINITY,
      ),
    },
  ].map((o) => ({
    ...o,
    available: unavailable[o.strategy] === undefined,
    why: unavailable[o.strategy] ?? null,
  }));
  const fits = (o: StrategyOutcome) =>
    o.available && o.neededPacketsPerSecond <= o.capacityPacketsPerSecond * HEADROOM;
  const byName = (s: DeliveryStrategy) => results.find((o) => o.strategy === s) as StrategyOutcome;
  const perEvent = byName('per-event');
  const batched = byName('batched');
  const counted = byName('counted');
  let recommended: DeliveryStrategy;
  let reason: string;
  const pct = (o: StrategyOutcome) =>
    rate > 0 ? `${Math.round(((o.lostPerSecond + o.throttledPerSecond) / rate) * 100)}%` : '0%';
  if (fits(perEvent)) {
    recommended = 'per-event';
    reason = `${fmt(rate)} events/s fit the path with room to spare: every record arrives on its own.`;
  } else if (fits(batched)) {
    recommended = 'batched';
    reason = `One record per packet would ${c.lossy ? 'lose' : 'hold back'} ${pct(perEvent)} of them; ${batched.perPacket} per packet carries all.`;
  } else if (counted.available) {
    recommended = 'counted';
    reason = `One record per event would ${c.lossy ? 'lose' : 'hold back'} ${pct(perEvent)} of them; ${batchedShortfall(batched, rate, c.lossy)}; counting in the target gives exact totals by key at any rate.`;
  } else {
    const best = [batched, perEvent].find((o) => o.available) ?? perEvent;
    recommended = best.strategy;
    reason = `No strategy carries every record at this rate; this one delivers the most (${pct(best)} ${c.lossy ? 'lost' : 'held back'}).`;
  }
  return {
    capacity: {
      packetsPerSecond: c.packetsFor(lineChars),
      bytesPerSecond: c.bytesPerSecond,
      describe: c.describe,
    },
    eventsPerSecond: rate,
    rateSource: input.rateSource,
    outcomes: results,
    recommended,
    reason,
  };
}

/**
 * The smallest batch that carries the rate with HEADROOM (a bigger one only adds latency and
 * more records waiting in the target), or the largest that fits a packet when none does.
 */
function batchSize(c: Carrier, rate: number, lineChars: number, most: number): number {
  for (let k = 1; k <= most; k++) if (rate / k <= c.packetsFor(k * lineChars) * HEADROOM) return k;
  return most;
}

/** Why batching does not do here, in words. */
function batchedShortfall(b: StrategyOutcome, rate: number, lossy: boolean): string {
  if (!b.available) return `batched delivery is not available (${b.why ?? 'here'})`;
  if (b.deliveredPerSecond < rate)
    return `even ${b.perPacket} per packet, ${Math.round(((rate - b.deliveredPerSecond) / rate) * 100)}% would ${lossy ? 'be lost' : 'be held back'}`;
  return `batched would need ${fmt(b.neededPacketsPerSecond)} of the ${fmt(b.capacityPacketsPerSecond)} packets/s it can have, no room for bursts`;
}

function fmt(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n.toFixed(1);
}
