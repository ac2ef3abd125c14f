// An injectable clock, so batching and rate logic can be tested deterministically. Pure.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface TimerApi {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; `globalThis` has timers in Node and in browsers alike. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => (globalThis as unknown as TimerApi).setTimeout(fn, ms),
  clearTimeout: (h) => (globalThis as unknown as TimerApi).clearTimeout(h),
};

/** A clock tests advance by hand. */
export function manualClock(start = 0): Clock & { advance(ms: number): void } {
  let t = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: t + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    advance(ms) {
      const end = t + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined;
        for (const e of timers)
          if (e[1].at <= end && (due === undefined || e[1].at < due[1].at)) due = e;
        if (due === undefined) break;
        timers.delete(due[0]);
        t = due[1].at;
        due[1].fn();
      }
      t = end;
    },
  };
}
