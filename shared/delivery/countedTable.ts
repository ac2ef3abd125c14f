// Counting in the target: a v0.23 script that keeps a table of counts by a decoded key (one
// payload word, e.g. the first 8 bytes of ImageFileName) in script globals and prints it as one
// `HDBGT` line every period, so exact totals survive any event rate (one packet per period instead
// of one per trigger). Also the parser of that line (buffer-records.md §7). Pure.
import type { RecordPayload } from '../model/recordPayload';

/** The table line's first token: `HDBG` and a letter, so record parsers never take it for HDBGn. */
export const COUNT_TABLE_PREFIX = 'HDBGT ';
/** Keys a table holds by default: 16 x 2 globals + 5 stay far below MAX_VAR_COUNT (512, spec §5.1). */
export const DEFAULT_TABLE_SLOTS = 16;
/** Most keys one table may hold: its line must stay within one packet (4094 chars, spec §5.1). */
export const MAX_TABLE_SLOTS = 64;
/** Triggers between two printed tables unless the plan chooses otherwise. */
export const DEFAULT_PERIOD_TRIGGERS = 1000;
/** Global-name tags: short, lower-case, never a hex number on its own (prefixed by `hct`). */
const TAG_RE = /^[a-z0-9]{1,8}$/;

export interface CountedTableOptions {
  /** The payload whose word is the key; `keyWord` picks the word (default 0). */
  readonly payload: RecordPayload;
  readonly keyWord?: number;
  readonly slots?: number;
  /** The table is printed each time this many more triggers were counted. */
  readonly periodTriggers?: number;
  /**
   * `geometric`: the first table after the first trigger, then each time the count grew by a
   * quarter more than the last step (1, 2, 3, 4, 6, 8, 11, ... triggers apart): a few dozen
   * tables for a million triggers, so a rate probe never fills the pipe it measures. Default
   * `fixed`: every periodTriggers.
   */
  readonly growth?: 'fixed' | 'geometric';
  /**
   * Names this table's globals (`.hct<tag>_...`): globals are shared by every event of the CLI
   * (spec §5.1), so two tables need two tags.
   */
  readonly tag: string;
}

/**
 * Globals one table uses: a key and a count per slot, plus lock, total, other, last, seq (and the
 * step, when it grows).
 */
export function tableGlobals(slots: number, growth: 'fixed' | 'geometric' = 'fixed'): number {
  return slots * 2 + 5 + (growth === 'geometric' ? 1 : 0);
}

/**
 * The script body for `script { ... }`. Slots fill in order (an empty slot has count 0), so a key
 * either matches a slot before the first empty one or claims it; keys beyond the table are counted
 * as `other`. A spinlock keeps cores from interleaving their updates (actions run on every core at
 * once in VMX root); printf happens inside it so the line is one consistent snapshot.
 */
export function countedTableScript(o: CountedTableOptions): string {
  const slots = o.slots ?? DEFAULT_TABLE_SLOTS;
  const period = o.periodTriggers ?? DEFAULT_PERIOD_TRIGGERS;
  const keyWord = o.keyWord ?? 0;
  if (!TAG_RE.test(o.tag)) throw new Error(`table tag '${o.tag}' must be 1-8 of [a-z0-9]`);
  if (!Number.isInteger(slots) || slots < 1 || slots > MAX_TABLE_SLOTS)
    throw new Error(`a table holds 1-${MAX_TABLE_SLOTS} keys, not ${slots}`);
  if (!Number.isInteger(period) || period < 1) throw new Error('the period is at least 1 trigger');
  const key = o.payload.words[keyWord];
  if (key === undefined) throw new Error(`the payload has no word ${keyWord}`);
  const g = (n: string) => `.hct${o.tag}_${n}`;
  const parts: string[] = [];
  for (let i = 0; i < slots; i++) {
    const k = g(`k${i}`);
    const c = g(`c${i}`);
    parts.push(
      `${i === 0 ? 'if' : 'elsif'} (hk == ${k}) { ${c} = ${c} + 1; } elsif (${c} == 0) { ${k} = hk; ${c} = 1; }`,
    );
  }
  parts.push(`else { ${g('o')} = ${g('o')} + 1; }`);
  const fmt = ['%x', '%x', '%llx', '%llx', '%x', ...Array(slots).fill('%llx %llx')].join(' ');
  const args = [
    '$event_id',
    g('s'),
    g('n'),
    g('o'),
    `0x${slots.toString(16)}`,
    ...Array.from({ length: slots }, (_, i) => `${g(`k${i}`)}, ${g(`c${i}`)}`),
  ].join(', ');
  // v0.23 compiles a read of a global no script assigned yet as "Unresolved Variable": assign each
  // one once in a branch that never runs, which names them without resetting them (globals start
  // at 0 and keep their values between triggers, spec §5.1).
  const geometric = o.growth === 'geometric';
  const names = [
    'l',
    'n',
    'o',
    'p',
    's',
    ...(geometric ? ['d'] : []),
    ...Array.from({ length: slots }, (_, i) => [`k${i}`, `c${i}`]).flat(),
  ];
  return [
    `if (0) { ${names.map((n) => `${g(n)} = 0;`).join(' ')} }`,
    `spinlock_lock(&${g('l')});`,
    `${g('n')} = ${g('n')} + 1;`,
    `hk = ${key};`,
    parts.join(' '),
    `if (${g('n')} - ${g('p')} >= ${geometric ? g('d') : `0x${period.toString(16)}`}) { ${g('p')} = ${g('n')}; ${g('s')} = ${g('s')} + 1;${geometric ? ` ${g('d')} = ${g('d')} + (${g('d')} >> 2) + 1;` : ''} printf("${COUNT_TABLE_PREFIX}${fmt}\\n", ${args}); }`,
    `spinlock_unlock(&${g('l')});`,
  ].join(' ');
}

/** One printed table (all numbers as printed: hex in the line). */
export interface CountTable {
  readonly eventId: number;
  /** 1 for the first table of this script, then one more per period. */
  readonly seq: number;
  /** Triggers counted up to this table. */
  readonly total: bigint;
  /** Triggers whose key found no free slot. */
  readonly other: bigint;
  /** The filled slots, in the order they were claimed. */
  readonly entries: readonly { readonly key: bigint; readonly count: bigint }[];
}

const HEX = /^[0-9a-f]{1,16}$/;

/** The table in `line`, null when it is not a table line, or a string saying what is wrong. */
export function parseCountTableLine(line: string): CountTable | string | null {
  if (!line.startsWith(COUNT_TABLE_PREFIX)) return null;
  const t = line.slice(COUNT_TABLE_PREFIX.length).trimEnd().split(' ');
  if (t.length < 5 || !t.every((x) => HEX.test(x)))
    return 'a count table is HDBGT and lower-case hex numbers separated by single spaces';
  const slots = Number.parseInt(t[4] as string, 16);
  if (slots < 1 || slots > MAX_TABLE_SLOTS || t.length !== 5 + slots * 2)
    return `the table says ${slots} slots but carries ${Math.max(0, (t.length - 5) / 2)} (cut?)`;
  const num = (i: number) => BigInt(`0x${t[i] as string}`);
  const entries: { key: bigint; count: bigint }[] = [];
  for (let i = 0; i < slots; i++) {
    const count = num(6 + i * 2);
    if (count > 0n) entries.push({ key: num(5 + i * 2), count });
  }
  const total = num(2);
  const other = num(3);
  const sum = entries.reduce((a, e) => a + e.count, other);
  if (sum !== total) return `the counts add up to ${sum}, not the total ${total}`;
  return {
    eventId: Number.parseInt(t[0] as string, 16),
    seq: Number.parseInt(t[1] as string, 16),
    total,
    other,
    entries,
  };
}

/**
 * The line `parseCountTableLine` reads back as `t` (its filled slots only; one empty slot when
 * none is filled): how a session database keeps a table (docs/session-files.md).
 */
export function countTableLine(t: CountTable): string {
  const h = (n: number | bigint) => n.toString(16);
  const slots = t.entries.length > 0 ? t.entries.map((e) => `${h(e.key)} ${h(e.count)}`) : ['0 0'];
  return `${COUNT_TABLE_PREFIX}${[h(t.eventId), h(t.seq), h(t.total), h(t.other), h(slots.length), ...slots].join(' ')}`;
}

/**
 * A key as a user reads it: the word's 8 little-endian bytes as text up to the first NUL when
 * they are printable ASCII (an ImageFileName prefix), else the number in hex.
 */
export function keyText(key: bigint): string {
  let s = '';
  for (let i = 0n; i < 8n; i++) {
    const b = Number((key >> (i * 8n)) & 0xffn);
    if (b === 0) break;
    if (b < 0x20 || b > 0x7e) return `0x${key.toString(16)}`;
    s += String.fromCharCode(b);
  }
  return s.length === 0 ? `0x${key.toString(16)}` : s;
}
