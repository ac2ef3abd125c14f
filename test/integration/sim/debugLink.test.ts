// The simulator's Debugger-Mode link (spec §6.2): a serial port at B baud carries B/10 bytes/s and
// a named pipe --pipe-rate bytes/s, packets framed by about 33 bytes each; the sending core waits,
// so nothing is dropped. Measured on the real simulator program through a pty.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LINK_PACKET_OVERHEAD_BYTES,
  serialBytesPerSecond,
} from '../../../shared/delivery/linkBudget';
import { parseOptions } from '../../../electron/sim/options';
import { distDir } from '../../helpers/paths';
import { startSim, type SimPty } from '../../helpers/simPty';

/** How long the byte rate is measured (ms), after a settling delay. */
const SETTLE_MS = 600;
const MEASURE_MS = 3000;
/** Timer granularity and pty batching keep a measured rate within this share of the link's. */
const TOLERANCE = 0.12;
const LINE_RE = /^L [0-9a-f]+ [0-9a-f]+$/gm;

/** Bytes the link carried for the `L` lines in `text` (text, newline, framing). */
function linkBytes(text: string): number {
  let n = 0;
  for (const m of text.matchAll(LINE_RE)) n += m[0].length + 1 + LINK_PACKET_OVERHEAD_BYTES;
  return n;
}

async function measure(connect: string, extra: readonly string[]) {
  const stats = join(mkdtempSync(join(tmpdir(), 'hdbg-link-')), 'stats.json');
  const sim: SimPty = await startSim([
    '--seed',
    '11',
    '--rate',
    '5000',
    '--stats-file',
    stats,
    ...extra,
  ]);
  let m = sim.mark();
  sim.send(connect);
  await sim.waitFor('debuggee is running...\n', m);
  m = sim.mark();
  sim.write('\x03');
  await sim.waitFor(/0: kHyperDbg> $/, m);
  await sim.run('!syscall script { printf("L %x %llx\\n", $core, $proc); }');
  sim.send('g');
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const start = sim.mark();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  const text = sim.since(start);
  const seconds = (performance.now() - t0) / 1000;
  m = sim.mark();
  sim.write('\x03');
  await sim.waitFor(/kHyperDbg> $/, m);
  sim.send('exit');
  await sim.exited();
  const s = JSON.parse(readFileSync(stats, 'utf8')) as {
    events: Record<string, Record<string, number>>;
    link: { bytesPerSecond: number | null; bytes: number; packets: number };
  };
  return { rate: linkBytes(text) / seconds, stats: s };
}

describe('Debugger-Mode link (spec §6.2)', () => {
  it('is explained by --help and --pipe-rate is validated', () => {
    const help = spawnSync(process.execPath, [join(distDir, 'sim/index.mjs'), '--help'], {
      encoding: 'utf8',
    });
    expect(help.stdout).toMatch(/--pipe-rate N\|max +bytes\/s a Debugger-Mode named pipe carries/);
    expect(help.stdout).toMatch(/a serial link carries its baud \/ 10 \(8N1\)/);
    expect(parseOptions(['--pipe-rate', 'max'])).toMatchObject({ pipeRate: null });
    expect(parseOptions(['--pipe-rate=5000'])).toMatchObject({ pipeRate: 5000 });
    expect(() => parseOptions(['--pipe-rate', 'fast'])).toThrow(/--pipe-rate needs a whole number/);
  });

  it('a 9600-baud serial port carries 960 bytes/s, and the waiting core drops nothing', async () => {
    const { rate, stats } = await measure('.debug remote serial 9600 com1', []);
    const expected = serialBytesPerSecond(9600);
    console.info(`serial 9600: measured ${rate.toFixed(0)} bytes/s of ${expected}`);
    expect(Math.abs(rate - expected) / expected).toBeLessThan(TOLERANCE);
    expect(stats.link.bytesPerSecond).toBe(expected);
    const e = stats.events['0'] as Record<string, number>;
    expect(e.dropped).toBe(0);
    // Every trigger's line crossed, or was still on the wire when the CLI ended.
    expect(e.triggers).toBe((e.emitted ?? 0) + (e.discarded ?? 0) + (e.pending ?? 0));
    // 5000 occurrences/s would ask for far more: the link, not the guest, set the pace.
    expect(e.triggers).toBeLessThan(((SETTLE_MS + MEASURE_MS) / 1000 + 2) * (expected / 40));
  }, 60_000);

  it('a named pipe carries --pipe-rate bytes/s', async () => {
    const pipeRate = 20_000;
    const { rate, stats } = await measure('.debug remote namedpipe \\\\.\\pipe\\HyperDbgPipe', [
      '--pipe-rate',
      String(pipeRate),
    ]);
    console.info(`pipe: measured ${rate.toFixed(0)} bytes/s of ${pipeRate}`);
    expect(Math.abs(rate - pipeRate) / pipeRate).toBeLessThan(TOLERANCE);
    expect(stats.link.bytesPerSecond).toBe(pipeRate);
  }, 60_000);
});
