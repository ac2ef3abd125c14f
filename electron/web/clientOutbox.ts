// What the web host sends one browser client, with backpressure: answers always go out; stream
// pushes are held while the client's unsent bytes are above PUSH_HOLD_BYTES and coalesced into
// the latest state (the client re-reads what it missed: log rows by page, the console by a
// snapshot when its sequence numbers jump); a client that stops reading is disconnected. Without
// this, a client that stopped reading made the host buffer every push for it, without limit.
// Web host side; the socket and the clock are injected.
import type { Clock } from '../../shared/stream/clock';
import type { LibraryChange } from '../../shared/contract/library';
import type { LogUpdate, LogViewUpdate } from '../../shared/contract/log';
import type { StreamName } from '../../shared/contract/index';

/**
 * Unsent bytes above which stream pushes are held instead of queued (1 MiB): a second of the
 * log's busiest stream, so a client that is merely slow for a moment never misses anything.
 */
export const PUSH_HOLD_BYTES = 1024 * 1024;
/**
 * Unsent bytes a client may have piled up (while already over PUSH_HOLD_BYTES) before it is
 * disconnected at once: 32 MiB. Held pushes do not count (they are replaced, not added), so only
 * answers to its own calls can get it there: a client that keeps calling and never reads.
 */
export const CLIENT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
/**
 * How long a client may stay over PUSH_HOLD_BYTES without its unsent bytes going down before it
 * is disconnected (ms). A busy but reading browser drains a megabyte in milliseconds; a tab that
 * is frozen or a client that stopped reading does not, and costs memory for as long as it lives.
 */
export const STALLED_CLIENT_MS = 10_000;
/**
 * A drop in unsent bytes that counts as the client reading (64 KiB): smaller ones are the kernel
 * taking a last few segments into a full socket buffer, not a client catching up.
 */
export const DRAIN_PROGRESS_BYTES = 64 * 1024;
/** How often held pushes are retried while a client is over PUSH_HOLD_BYTES (ms). */
export const DRAIN_CHECK_MS = 50;
/** Ids one coalesced `library:changed` keeps (the UI reloads its lists whatever they are). */
const MAX_COALESCED_IDS = 1000;

/** The part of a ws WebSocket the outbox needs (tests pass a stand-in). */
export interface OutboxSocket {
  readonly bufferedAmount: number;
  send(text: string): void;
  terminate(): void;
}

export interface OutboxStats {
  /** Pushes replaced by a later one (or merged into it) while the client was behind. */
  readonly coalesced: number;
  /** Why the client was disconnected, if it was. */
  readonly closedBecause: 'stalled' | 'over-cap' | null;
}

/** How a held push and a newer one of the same stream become one. */
type Merge = (held: unknown, next: unknown) => unknown;

/** Latest per view, totals from the newest: the renderer pages in rows it did not get. */
function mergeLogUpdates(held: unknown, next: unknown): unknown {
  const a = held as LogUpdate;
  const b = next as LogUpdate;
  const views = new Map<string, LogViewUpdate>();
  for (const v of a.views) views.set(v.viewId, v);
  for (const v of b.views) {
    const old = views.get(v.viewId);
    views.set(v.viewId, v.tail === null && old !== undefined ? { ...v, tail: old.tail } : v);
  }
  return { ...b, views: [...views.values()] } satisfies LogUpdate;
}

/** Same scope: one change naming every id (up to a limit); the UI reloads either way. */
function mergeLibraryChanges(held: unknown, next: unknown): unknown {
  const a = held as LibraryChange;
  const b = next as LibraryChange;
  const ids = [...new Set([...a.ids, ...b.ids])].slice(0, MAX_COALESCED_IDS);
  return { scope: b.scope, reason: a.reason === b.reason ? b.reason : 'changed', ids };
}

const latest: Merge = (_held, next) => next;

/**
 * How each stream coalesces. `terminal:data` keeps only the newest chunk: its `seq` then jumps,
 * and the console starts over from a snapshot (TerminalFeed). Streams not listed (`app:menu`,
 * rare and small) are never held.
 */
const MERGE: Partial<Record<StreamName, Merge>> = {
  'log:update': mergeLogUpdates,
  'log:stats': latest,
  'app:heartbeat': latest,
  'session:state': latest,
  'events:changed': latest,
  'terminal:data': latest,
  'library:changed': mergeLibraryChanges,
};

/** One held push per stream and key (library changes are held per scope). */
function holdKey(stream: StreamName, payload: unknown): string {
  return stream === 'library:changed' ? `${stream}:${(payload as LibraryChange).scope}` : stream;
}

export class ClientOutbox {
  private readonly held = new Map<string, { stream: StreamName; payload: unknown }>();
  private timer: unknown;
  /** When the client went over PUSH_HOLD_BYTES, and its lowest unsent bytes since. */
  private behindSince: number | null = null;
  private lowest = 0;
  private coalesced = 0;
  private closedBecause: OutboxStats['closedBecause'] = null;

  constructor(
    private readonly socket: OutboxSocket,
    private readonly clock: Clock,
    /** Wraps a push into the wire message. */
    private readonly encodePush: (stream: StreamName, payload: unknown) => string,
    /** Told when the outbox disconnects the client, and with how many bytes unsent. */
    private readonly onClose?: (reason: 'stalled' | 'over-cap', unsentBytes: number) => void,
  ) {}

  get stats(): OutboxStats {
    return { coalesced: this.coalesced, closedBecause: this.closedBecause };
  }

  /** An answer to the client's call: always sent, in order. */
  sendAnswer(text: string): void {
    this.write(text);
  }

  /** A stream push: sent now, or held (coalesced) while the client is behind. */
  push(stream: StreamName, payload: unknown): void {
    if (this.closedBecause !== null) return;
    const merge = MERGE[stream];
    if (merge === undefined) {
      this.write(this.encodePush(stream, payload));
      return;
    }
    const key = holdKey(stream, payload);
    const held = this.held.get(key);
    if (held !== undefined) {
      // Order within a stream: a newer push never overtakes a held one.
      held.payload = merge(held.payload, payload);
      this.coalesced++;
      this.check();
      return;
    }
    if (this.socket.bufferedAmount > PUSH_HOLD_BYTES) {
      this.held.set(key, { stream, payload });
      this.check();
      return;
    }
    this.write(this.encodePush(stream, payload));
  }

  /** The client is gone: stop the timer, drop what is held. */
  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.held.clear();
  }

  private write(text: string): void {
    if (this.closedBecause !== null) return;
    const before = this.socket.bufferedAmount;
    this.socket.send(text);
    // One big answer to a client that was keeping up is fine; a pile on one that is not is not.
    if (before > PUSH_HOLD_BYTES && this.socket.bufferedAmount > CLIENT_MAX_BUFFERED_BYTES)
      this.close('over-cap');
    else this.check();
  }

  /** Sends what is held once the client has caught up; disconnects one that does not. */
  private check(): void {
    if (this.closedBecause !== null) return;
    const buffered = this.socket.bufferedAmount;
    const now = this.clock.now();
    if (buffered <= PUSH_HOLD_BYTES) {
      this.behindSince = null;
      this.flushHeld();
    } else if (this.behindSince === null || buffered <= this.lowest - DRAIN_PROGRESS_BYTES) {
      // Behind, or behind but draining: the stall clock (re)starts from here.
      this.behindSince = now;
      this.lowest = buffered;
    } else if (now - this.behindSince >= STALLED_CLIENT_MS) {
      this.close('stalled');
      return;
    }
    const waiting = this.held.size > 0 || this.behindSince !== null;
    if (waiting && this.timer === undefined)
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.check();
      }, DRAIN_CHECK_MS);
  }

  private flushHeld(): void {
    for (const [key, h] of this.held) {
      if (this.socket.bufferedAmount > PUSH_HOLD_BYTES) return;
      this.held.delete(key);
      const before = this.socket.bufferedAmount;
      this.socket.send(this.encodePush(h.stream, h.payload));
      if (before > PUSH_HOLD_BYTES && this.socket.bufferedAmount > CLIENT_MAX_BUFFERED_BYTES) {
        this.close('over-cap');
        return;
      }
    }
  }

  private close(reason: NonNullable<OutboxStats['closedBecause']>): void {
    this.closedBecause = reason;
    const unsent = this.socket.bufferedAmount;
    this.dispose();
    this.socket.terminate();
    this.onClose?.(reason, unsent);
  }
}
