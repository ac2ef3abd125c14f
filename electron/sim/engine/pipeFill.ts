// `sim --fill-pipe`: a kernel-side producer that keeps VMI's root regular ring full of ready-made
// packets of the most characters a packet carries (4094, MAX_PACKET_CHARS), so what the reader
// prints measures the pipe's capacity: packets/s and characters/s, with nothing computed per
// packet. Each packet is lines `fill <packet> <line>` padded with dots, 4094 characters in all,
// its packet number counting from 0 in hex. Only in local VMI mode with the vmm loaded and
// realistic pacing (spec §6.1); nothing else changes. Simulator side.
import { MAX_PACKET_CHARS } from '../../../shared/delivery/linkBudget';
import type { MessageTransport } from './messageTransport';

/** How often the ring is topped up (ms): far more often than the reader's 30 ms. */
const FILL_TICK_MS = 5;
/** Characters of each line of a fill packet, its `\n` included (the last line is shorter). */
export const FILL_LINE_CHARS = 64;

/** Fill packet number `n`: exactly MAX_PACKET_CHARS characters of `fill` lines. */
export function fillPacket(n: number): string {
  let text = '';
  for (let i = 0; text.length < MAX_PACKET_CHARS; i++) {
    const room = MAX_PACKET_CHARS - text.length;
    const width = Math.min(FILL_LINE_CHARS, room);
    const head = `fill ${n.toString(16)} ${i.toString(16)}`;
    text += `${head.padEnd(width - 1, '.').slice(0, width - 1)}\n`;
  }
  return text;
}

export class PipeFill {
  private timer: NodeJS.Timeout | null = null;
  /** Fill packets produced so far. */
  produced = 0;

  constructor(
    private readonly transport: MessageTransport,
    /** Whether the reader runs: local VMI with the vmm loaded, the machine alive. */
    private readonly active: () => boolean,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.topUp(), FILL_TICK_MS);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Fills the root regular ring's free slots; a full ring is left alone (nothing overwritten). */
  topUp(): void {
    if (!this.active()) return;
    for (let free = this.transport.freeRegularSlots(true); free > 0; free--)
      this.transport.send({ text: fillPacket(this.produced++), eventId: null }, true);
  }
}
