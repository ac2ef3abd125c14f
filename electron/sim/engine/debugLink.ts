// The Debugger-Mode link between debuggee and debugger (spec §6.2): a serial port at B baud (8N1)
// carries B/10 bytes/s, a VM's named pipe a configurable rate. Packets leave in order, each after
// its bytes have crossed; the debuggee core that sent them waits meanwhile. Simulator side.
import { linkPacketBytes } from '../../../shared/delivery/linkBudget';

/**
 * Above this much unsent time the sending core counts as stalled on the link (ms). The real core
 * waits per packet; the simulated guest runs in 5 ms ticks, so it may run this far ahead, and it
 * resumes below RESUME_BELOW_MS so the link never idles while the guest catches up.
 */
const STALL_THRESHOLD_MS = 20;
const RESUME_BELOW_MS = 10;

interface InFlight {
  /** When its last byte has crossed (performance.now() ms). */
  readonly doneAt: number;
  readonly arrive: () => void;
}

export class DebugLink {
  /** Bytes per second; null for a link that is never the bottleneck. */
  private rate: number | null = null;
  private busyUntil = 0;
  private readonly queue: InFlight[] = [];
  private timer: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];
  /** Bytes that crossed since the link was set (the --stats-file `link` report). */
  bytesSent = 0;
  packetsSent = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Sets the link's speed when a debuggee connects; null = unlimited. */
  setRate(bytesPerSecond: number | null): void {
    this.rate = bytesPerSecond;
    this.busyUntil = 0;
    this.bytesSent = 0;
    this.packetsSent = 0;
  }

  get bytesPerSecond(): number | null {
    return this.rate;
  }

  /** Sends one logging packet; `arrive` runs once the debugger has all of it. */
  send(text: string, arrive: () => void): void {
    const bytes = linkPacketBytes(text);
    if (this.rate === null) {
      this.bytesSent += bytes;
      this.packetsSent++;
      arrive();
      return;
    }
    const start = Math.max(this.now(), this.busyUntil);
    this.busyUntil = start + (bytes / this.rate) * 1000;
    this.queue.push({
      doneAt: this.busyUntil,
      arrive: () => {
        this.bytesSent += bytes;
        this.packetsSent++;
        arrive();
      },
    });
    this.schedule();
  }

  /** The sending core is still pushing bytes out (KdLoggingResponsePacketToDebugger spins). */
  get congested(): boolean {
    return this.rate !== null && this.busyUntil - this.now() > STALL_THRESHOLD_MS;
  }

  /** Resolves when the backlog is below the stall threshold again. */
  drained(): Promise<void> {
    if (!this.congested) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /** Packets still on the wire (pending when the CLI ends). */
  get inFlight(): number {
    return this.queue.length;
  }

  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const next = this.queue[0];
    if (next === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        const t = this.now();
        while (this.queue.length > 0 && (this.queue[0] as InFlight).doneAt <= t + 0.5) {
          (this.queue.shift() as InFlight).arrive();
        }
        if (this.busyUntil - this.now() < RESUME_BELOW_MS) {
          const w = this.waiters;
          this.waiters = [];
          for (const r of w) r();
        }
        this.schedule();
      },
      Math.max(0, next.doneAt - this.now()),
    );
  }
}
