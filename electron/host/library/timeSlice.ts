// Long host work (reading a large import) in slices: after each slice the event loop runs, so
// the heartbeat, other clients and the pty reader are never held up for long. Host side.

/**
 * Work done between two turns of the event loop, in ms: short enough that a heartbeat, a click
 * or pty output waits unnoticed, long enough that yielding costs nothing measurable.
 */
export const IMPORT_SLICE_MS = 20;

/** Returns `pause()`: resolves at once within a slice, after an event-loop turn once it is used up. */
export function createSlicer(sliceMs = IMPORT_SLICE_MS): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
}
