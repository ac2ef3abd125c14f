// Collects items and hands them on in batches: per ~16 ms or per 64 KB / 500 items, whichever
// comes first (architecture §3), so a flood costs one message per batch, never one per item. Pure.
import { systemClock, type Clock } from './clock';

/** One frame at 60 Hz: the UI cannot show changes faster than this. */
export const BATCH_MAX_DELAY_MS = 16;
/** Large enough to amortise a message, small enough to keep a frame's work short. */
export const BATCH_MAX_BYTES = 64 * 1024;
export const BATCH_MAX_ITEMS = 500;

export interface BatcherOptions<T> {
  readonly flush: (items: T[]) => void;
  readonly maxDelayMs?: number;
  readonly maxBytes?: number;
  readonly maxItems?: number;
  readonly clock?: Clock;
}

export interface Batcher<T> {
  /** Adds an item; `bytes` is its size estimate for the byte limit. */
  push(item: T, bytes?: number): void;
  /** Hands on whatever is pending now. */
  flushNow(): void;
  readonly pending: number;
  dispose(): void;
}

export function createBatcher<T>(opts: BatcherOptions<T>): Batcher<T> {
  const clock = opts.clock ?? systemClock;
  const maxDelay = opts.maxDelayMs ?? BATCH_MAX_DELAY_MS;
  const maxBytes = opts.maxBytes ?? BATCH_MAX_BYTES;
  const maxItems = opts.maxItems ?? BATCH_MAX_ITEMS;
  let items: T[] = [];
  let bytes = 0;
  let timer: unknown;

  const flushNow = () => {
    if (timer !== undefined) {
      clock.clearTimeout(timer);
      timer = undefined;
    }
    if (items.length === 0) return;
    const out = items;
    items = [];
    bytes = 0;
    opts.flush(out);
  };

  return {
    push(item, size = 0) {
      items.push(item);
      bytes += size;
      if (items.length >= maxItems || bytes >= maxBytes) flushNow();
      else if (timer === undefined) timer = clock.setTimeout(flushNow, maxDelay);
    },
    flushNow,
    get pending() {
      return items.length;
    },
    dispose() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      items = [];
    },
  };
}
