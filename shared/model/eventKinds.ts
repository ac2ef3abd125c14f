// The names of HyperDbg v0.23's event commands (spec §3.8). The full catalog (arguments, Context
// meaning, stage rules) is built on this list in eventCatalog.ts; models that only need to name
// a kind import this. Pure.

export const EVENT_KINDS = [
  '!syscall',
  '!syscall2',
  '!sysret',
  '!sysret2',
  '!epthook',
  '!epthook2',
  '!monitor',
  '!msrread',
  '!msrwrite',
  '!cpuid',
  '!exception',
  '!interrupt',
  '!ioin',
  '!ioout',
  '!tsc',
  '!pmc',
  '!dr',
  '!vmcall',
  '!crwrite',
  '!xsetbv',
  '!mode',
  '!trace',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

export function isEventKind(x: unknown): x is EventKind {
  return typeof x === 'string' && (EVENT_KINDS as readonly string[]).includes(x);
}
