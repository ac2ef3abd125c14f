// A fixed-capacity ring of the newest items, addressed by a global sequence number, so a reader
// that fell behind can tell exactly how many items it missed (a gap) instead of losing them
// silently. Pure.

export interface RingBuffer<T> {
  push(item: T): number;
  /** Sequence number the next item will get (= items ever pushed). */
  readonly nextSeq: number;
  /** Oldest sequence number still held. */
  readonly firstSeq: number;
  readonly size: number;
  readonly capacity: number;
  /** Items with seq in [from, to), clipped to what is held. */
  range(from: number, to: number): { readonly firstSeq: number; readonly items: T[] };
  get(seq: number): T | undefined;
  clear(): void;
}

export function createRingBuffer<T>(capacity: number): RingBuffer<T> {
  if (!Number.isInteger(capacity) || capacity <= 0)
    throw new RangeError('capacity must be a positive integer');
  let slots: (T | undefined)[] = new Array<T | undefined>(capacity);
  let next = 0;
  const first = () => Math.max(0, next - capacity);
  return {
    push(item) {
      slots[next % capacity] = item;
      return next++;
    },
    get nextSeq() {
      return next;
    },
    get firstSeq() {
      return first();
    },
    get size() {
      return next - first();
    },
    capacity,
    range(from, to) {
      const lo = Math.max(first(), Math.floor(from));
      const hi = Math.min(next, Math.floor(to));
      const items: T[] = [];
      for (let s = lo; s < hi; s++) items.push(slots[s % capacity] as T);
      return { firstSeq: lo, items };
    },
    get(seq) {
      return seq >= first() && seq < next ? slots[seq % capacity] : undefined;
    },
    clear() {
      slots = new Array<T | undefined>(capacity);
      next = 0;
    },
  };
}
