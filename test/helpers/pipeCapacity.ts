// Measures what v0.23's VMI pipe carries: runs the simulator with `--fill-pipe` (its kernel ring
// kept full of ready-made 4094-character packets, electron/sim/engine/pipeFill.ts) through plain
// pipes, and counts the packets and characters the reader prints. Used by the delivery bench as
// its same-run capacity and by the option's own test. Test side.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { distDir } from './paths';

export interface PipeCapacity {
  /** Packets per second, from the first packet's arrival to the last one's in the window. */
  readonly packetsPerSecond: number;
  /** Characters per second (packets/s times the characters each full packet carried). */
  readonly charsPerSecond: number;
  /** Packets counted in the window. */
  readonly packets: number;
  /** Characters of one packet (every complete packet had the same; else `mixed`). */
  readonly packetChars: number | 'mixed';
  /** Packet numbers that did not follow the previous one (an overwritten or reordered packet). */
  readonly outOfOrder: number;
  readonly seconds: number;
}

/** A fill packet's line: `fill <packet> <line>` padded with dots (pipeFill.ts). */
const FILL_LINE = /fill ([0-9a-f]+) ([0-9a-f]+)\.*\n/g;

/**
 * Starts `sim --stock --pacing realistic --fill-pipe`, loads the vmm, and counts the reader's
 * packets for `seconds` from the first one's arrival.
 */
export function measurePipeCapacity(
  seconds: number,
  program: readonly string[] = [join(distDir, 'sim/index.mjs')],
): Promise<PipeCapacity> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [
      ...program,
      '--stock',
      '--pacing',
      'realistic',
      '--fill-pipe',
      '--seed',
      '1',
    ]);
    let buf = '';
    let stderr = '';
    let current = -1;
    let currentChars = 0;
    let firstAt = 0;
    let lastAt = 0;
    let packets = 0;
    let outOfOrder = 0;
    const sizes = new Set<number>();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      p.stdin.end('exit\n');
      const span = (lastAt - firstAt) / 1000;
      const packetsPerSecond = span > 0 ? (packets - 1) / span : 0;
      const only = sizes.size === 1 ? ([...sizes][0] as number) : 'mixed';
      resolve({
        packetsPerSecond,
        charsPerSecond: typeof only === 'number' ? packetsPerSecond * only : Number.NaN,
        packets,
        packetChars: only,
        outOfOrder,
        seconds: span,
      });
    };
    p.stdout.on('data', (d: Buffer) => {
      if (done) return;
      buf += d.toString('latin1');
      let consumed = 0;
      FILL_LINE.lastIndex = 0;
      for (let m = FILL_LINE.exec(buf); m !== null; m = FILL_LINE.exec(buf)) {
        consumed = FILL_LINE.lastIndex;
        const n = Number.parseInt(m[1] as string, 16);
        if (n !== current) {
          // A new packet: the one before is complete (the reader prints a packet in one write).
          if (current >= 0) sizes.add(currentChars);
          if (current >= 0 && n !== current + 1) outOfOrder++;
          current = n;
          currentChars = 0;
          const now = performance.now();
          if (packets === 0) {
            firstAt = now;
            setTimeout(finish, seconds * 1000);
          }
          lastAt = now;
          packets++;
        }
        currentChars += m[0].length;
      }
      buf = buf.slice(consumed);
    });
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => {
      if (!done) reject(new Error(`sim --fill-pipe ended early (exit ${code}): ${stderr}`));
    });
    p.stdin.write('.connect local\nload vmm\n');
  });
}
