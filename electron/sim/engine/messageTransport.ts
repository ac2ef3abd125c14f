// How kernel messages reach the console (spec §6): realistic pacing is v0.23's VMI path (two pools
// of 1000-slot rings plus 50 priority slots that overwrite silently, read one packet per 30 ms);
// fast pacing prints at once; Debugger Mode goes over the link at its byte rate (spec §6.2).
// Event messages of an event with output sources go to them instead, even while paused (spec
// §6.4). Simulator side.
import { DebugLink } from './debugLink';
import type { SimStats } from './stats';

export type Pacing = 'realistic' | 'fast';

export interface KernelPacket {
  readonly text: string;
  /** The event whose action produced it; null for messages of no event. */
  readonly eventId: number | null;
  /**
   * The packet's operation code is its event's tag (script printf/print output, HDBG1 records),
   * which is what output forwarding matches; kernel log lines (INFO/ERROR codes) never are.
   */
  readonly tagged?: boolean;
}

/** What the forwarding path did with a packet: nothing (the console prints it), or took it. */
export type ForwardOutcome = 'console' | 'forwarded' | 'failed';

/** MaximumPacketsCapacity / MaximumPacketsCapacityPriority (Constants.h, spec §6.1). */
export const RING_SLOTS = 1000;
export const PRIORITY_RING_SLOTS = 50;
/** DefaultSpeedOfReadingKernelMessages: the reader sleeps this long after each packet (ms). */
export const READER_SLEEP_MS = 30;
/** PacketChunkSize: a non-immediate batch holds this many bytes, NULs included (spec §6.3). */
const NON_IMMEDIATE_BATCH_BYTES = 4096;

class Ring {
  private readonly slots: (KernelPacket | null)[];
  private write = 0;
  private read = 0;
  private count = 0;

  constructor(size: number) {
    this.slots = new Array<KernelPacket | null>(size).fill(null);
  }

  /** Stores a packet; returns the unread packet it overwrote, if any (no warning, spec §6.1). */
  push(p: KernelPacket): KernelPacket | null {
    const old = this.slots[this.write] ?? null;
    this.slots[this.write] = p;
    this.write = (this.write + 1) % this.slots.length;
    if (old === null) this.count++;
    return old;
  }

  /** Takes the packet at the reader's index, if that slot holds one (LogReadBuffer, LogMarkAllAsRead). */
  take(): KernelPacket | null {
    const p = this.slots[this.read] ?? null;
    if (p === null) return null;
    this.slots[this.read] = null;
    this.read = (this.read + 1) % this.slots.length;
    this.count--;
    return p;
  }

  get size(): number {
    return this.count;
  }
}

export interface TransportOptions {
  readonly pacing: Pacing;
  readonly print: (text: string) => void;
  readonly stats: SimStats;
  /** ForwardingCheckAndPerformEventForwarding, tried before the console (and before the mute). */
  readonly forward?: (packet: KernelPacket) => ForwardOutcome;
  /** A promise while a forwarding write would block the reader thread (a slow consumer). */
  readonly stalled?: () => Promise<void> | null;
}

export class MessageTransport {
  /** VMI `pause` / Ctrl+C: packets are read and thrown away (spec §2.7). */
  paused = false;
  /** Debugger Mode: packets go straight over the link to the debugger (spec §6.2). */
  debuggerMode = false;
  /** Debugger Mode while the debuggee is halted: logging packets are ignored (spec §2.7). */
  ignoreNewMessages = false;
  /** Debugger Mode's serial port or named pipe: its byte rate paces every packet (spec §6.2). */
  readonly link = new DebugLink();

  private readonly rings: Record<'nonroot' | 'root', { priority: Ring; regular: Ring }> = {
    nonroot: { priority: new Ring(PRIORITY_RING_SLOTS), regular: new Ring(RING_SLOTS) },
    root: { priority: new Ring(PRIORITY_RING_SLOTS), regular: new Ring(RING_SLOTS) },
  };
  private readonly nonImmediate: Record<
    'nonroot' | 'root',
    { packets: KernelPacket[]; bytes: number }
  > = {
    nonroot: { packets: [], bytes: 0 },
    root: { packets: [], bytes: 0 },
  };
  private readerBusy = false;
  private readerTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: TransportOptions) {}

  /**
   * A packet from the kernel: `root` says which pool (actions run in VMX root except `!epthook2`'s),
   * `priority` is set for warnings and errors, `immediate` false for `imm no` events.
   */
  send(packet: KernelPacket, root: boolean, priority = false, immediate = true): void {
    if (this.closed) return;
    if (!immediate) {
      this.sendNonImmediate(packet, root);
      return;
    }
    if (this.debuggerMode) {
      // The packet crosses the link first; until then it is pending (lost if the CLI ends).
      this.count(packet, 'pending');
      this.link.send(packet.text, () => {
        this.count(packet, 'pending', -1);
        if (this.closed) return;
        // kernel-listening.cpp forwards before it looks at g_IgnoreNewLoggingMessages.
        if (this.forwarded(packet)) return;
        if (this.ignoreNewMessages) this.count(packet, 'discarded');
        else this.emit(packet);
      });
      return;
    }
    if (this.options.pacing === 'fast') {
      this.deliver(packet);
      return;
    }
    const pool = this.rings[root ? 'root' : 'nonroot'];
    const lost = (priority ? pool.priority : pool.regular).push(packet);
    if (lost !== null) {
      this.count(lost, 'pending', -1);
      this.count(lost, 'dropped');
    }
    this.count(packet, 'pending');
    this.wakeReader();
  }

  /** Regular slots of a pool with no unread packet (RING_SLOTS when the reader has read all). */
  freeRegularSlots(root: boolean): number {
    return RING_SLOTS - this.rings[root ? 'root' : 'nonroot'].regular.size;
  }

  /**
   * `flush`: LogMarkAllAsRead marks the regular slots of both pools read from the reader's index
   * up to the first empty one; priority slots are left alone (Logging.c). Returns how many.
   */
  flush(): number {
    let n = 0;
    for (const pool of Object.values(this.rings)) {
      for (let p = pool.regular.take(); p !== null; p = pool.regular.take()) {
        this.count(p, 'pending', -1);
        this.count(p, 'discarded');
        n++;
      }
    }
    return n;
  }

  close(): void {
    this.closed = true;
    if (this.readerTimer !== null) clearTimeout(this.readerTimer);
    this.link.close();
    // A packet the reader was sleeping on never reached anyone: it stays counted as pending.
  }

  /**
   * `imm no` (spec §6.3): messages gather in a 4 KB batch per pool joined by NULs; when the next
   * one does not fit, the batch goes out as one packet, and the reader prints it with "%s", so
   * only the batch's first message is seen. The last partial batch stays in the kernel.
   */
  private sendNonImmediate(packet: KernelPacket, root: boolean): void {
    const batch = this.nonImmediate[root ? 'root' : 'nonroot'];
    const size = packet.text.length + 1;
    if (batch.bytes + size > NON_IMMEDIATE_BATCH_BYTES && batch.packets.length > 0) {
      const [first, ...rest] = batch.packets;
      for (const p of rest) this.count(p, 'discarded');
      batch.packets = [];
      batch.bytes = 0;
      // The batch's operation code is OPERATION_LOG_NON_IMMEDIATE_MESSAGE, not the event's tag.
      if (first !== undefined) this.send({ ...first, tagged: false }, root, false, true);
    }
    batch.packets.push(packet);
    batch.bytes += size;
  }

  private wakeReader(): void {
    if (this.readerBusy || this.closed) return;
    const next = this.nextPacket();
    if (next === null) return;
    // The pending IOCTL completes at once with one packet; the reader sleeps 30 ms and only then
    // dispatches it (packets.cpp: the Sleep comes before the switch), spec §6.1.
    // Until it is dispatched the packet still counts as pending (lost if the CLI ends meanwhile).
    this.readerBusy = true;
    this.readerTimer = setTimeout(() => {
      this.readerTimer = null;
      this.count(next, 'pending', -1);
      this.deliver(next);
      const resume = () => {
        this.readerBusy = false;
        this.wakeReader();
      };
      // A forwarding write to a peer that does not read blocks this thread (spec §6.4).
      const stall = this.options.stalled?.() ?? null;
      if (stall === null) resume();
      else void stall.then(resume);
    }, READER_SLEEP_MS);
  }

  /** Service order: non-root priority, root priority, non-root regular, root regular (spec §6.1). */
  private nextPacket(): KernelPacket | null {
    return (
      this.rings.nonroot.priority.take() ??
      this.rings.root.priority.take() ??
      this.rings.nonroot.regular.take() ??
      this.rings.root.regular.take()
    );
  }

  private deliver(packet: KernelPacket): void {
    if (this.closed) return;
    // Forwarding comes first in ReadIrpBasedBuffer's default case, before the pause test (§6.4).
    if (this.forwarded(packet)) return;
    if (this.paused) this.count(packet, 'discarded');
    else this.emit(packet);
  }

  /** True when the forwarding path took the packet (sent, or swallowed with an error line). */
  private forwarded(packet: KernelPacket): boolean {
    if (packet.tagged !== true || this.options.forward === undefined) return false;
    const outcome = this.options.forward(packet);
    if (outcome === 'console') return false;
    this.count(packet, outcome === 'forwarded' ? 'forwarded' : 'forwardFailed');
    return true;
  }

  private emit(packet: KernelPacket): void {
    this.count(packet, 'emitted');
    this.options.print(packet.text);
  }

  private count(
    packet: KernelPacket,
    field: 'emitted' | 'dropped' | 'discarded' | 'pending' | 'forwarded' | 'forwardFailed',
    by = 1,
  ): void {
    if (packet.eventId === null) return;
    const c = this.options.stats.counters(packet.eventId);
    c[field] += by;
  }
}
