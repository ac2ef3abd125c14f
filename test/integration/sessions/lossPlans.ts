// What the loss tests deliver: which numbers the target "loses" (its ring overwrote them), shared
// by the tests and their crashing child so both know the truth.

/** Bursts of overwritten numbers that differ per event and core, plus a sprinkle. */
export function dropBursts(eventId: number, core: number, n: number): boolean {
  const burst = 50 + 37 * core + 11 * eventId;
  return (n >= burst && n < burst + 5 + 3 * core) || (n * (core + 3)) % 97 === 13;
}

export const CRASH_PLAN = { run1: 4000, run2: 6000, drop: dropBursts } as const;
