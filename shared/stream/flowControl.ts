// Lossless flow control for the raw terminal (VS Code's numbers, architecture §3): the producer
// pauses above HIGH unacknowledged characters and resumes below LOW; the consumer acknowledges
// from xterm's write callback. A flood can then never outrun the screen. Pure.

export const FLOW_HIGH_WATERMARK_CHARS = 100_000;
export const FLOW_LOW_WATERMARK_CHARS = 5_000;

export interface FlowControl {
  /** Counts characters sent; returns true when the producer must pause now. */
  sent(chars: number): boolean;
  /** Counts characters the consumer has rendered; returns true when the producer may resume. */
  acked(chars: number): boolean;
  readonly unacked: number;
  readonly paused: boolean;
  reset(): void;
}

export function createFlowControl(
  high = FLOW_HIGH_WATERMARK_CHARS,
  low = FLOW_LOW_WATERMARK_CHARS,
): FlowControl {
  let unacked = 0;
  let paused = false;
  return {
    sent(chars) {
      unacked += chars;
      if (!paused && unacked > high) {
        paused = true;
        return true;
      }
      return false;
    },
    acked(chars) {
      // A consumer acknowledging more than it got (a bug or a hostile page) cannot drive the count negative.
      unacked = Math.max(0, unacked - Math.max(0, chars));
      if (paused && unacked < low) {
        paused = false;
        return true;
      }
      return false;
    },
    get unacked() {
      return unacked;
    },
    get paused() {
      return paused;
    },
    reset() {
      unacked = 0;
      paused = false;
    },
  };
}
