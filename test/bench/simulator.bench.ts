// Simulator throughput with the seed's ImageFileName action executing: in process on one core
// against the same workload whose !syscall event has no action (`buffer 3e8` drops it, spec §3.5),
// and end to end through a pty against the pty's own ceiling, both measured in the same run.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';
import { HyperDbgActionRunner } from '../../electron/sim/emulator/hyperdbgActions';
import { WindowsGuest } from '../../electron/sim/emulator/windowsGuest';
import { EventDispatcher } from '../../electron/sim/engine/dispatcher';
import {
  APPLY_TO_ALL,
  EventKernel,
  type KernelAction,
} from '../../electron/sim/engine/kernelEvents';
import { MessageTransport } from '../../electron/sim/engine/messageTransport';
import { SimStats } from '../../electron/sim/engine/stats';
import { Workload } from '../../electron/sim/engine/workload';
import { medianOfRuns, type Bench, type BenchResult } from './harness';

/** The seed's second example and its buffer (the seed, buffer-records.md §6). */
const SEED_CODE = '65488B042588010000488B80B8000000480550040000C3';
const SEED_BUFFER = 0x18;
/** The goal: sustained events per second with the action executing. */
const GOAL_EVENTS_PER_SECOND = 100_000;
/** Occurrences per timed in-process run, and runs per side (goals take the median run). */
const OCCURRENCES = 600_000;
const RUNS = 5;
/** Warm-up and measurement windows of the end-to-end runs (ms). */
const WARMUP_MS = 1000;
const MEASURE_MS = 4000;
/** End-to-end runs per side: a 4 s window through a pty moves with the machine's other load. */
const PTY_RUNS = 3;
const PTY_COLUMNS = 1000;

const repo = fileURLToPath(new URL('../..', import.meta.url));

function inProcess(withAction: boolean): number {
  const guest = WindowsGuest.create({ seed: 5, cores: 1, osBuild: 18363 });
  const kernel = new EventKernel();
  const stats = new SimStats();
  let printed = 0;
  const transport = new MessageTransport({
    pacing: 'fast',
    print: (t) => (printed += t.length),
    stats,
  });
  const runner = new HyperDbgActionRunner(guest, 1_000_000);
  const dispatcher = new EventDispatcher({
    guest,
    kernel,
    runner,
    transport,
    stats,
    stock: false,
    onBugCheck: () => undefined,
  });
  const workload = new Workload({
    guest,
    kernel,
    dispatcher,
    stats,
    seed: 5,
    rate: 'max',
    active: () => true,
    congested: () => false,
    drained: async () => undefined,
    onHalt: () => undefined,
  });
  const code = Uint8Array.from(Buffer.from(`${SEED_CODE}c3`, 'hex'));
  const actions: KernelAction[] = withAction
    ? [
        {
          kind: 'code',
          address: guest.allocateCode(code) as bigint,
          length: code.length,
          buffer: guest.allocatePool(SEED_BUFFER),
          bufferSize: SEED_BUFFER,
        },
      ]
    : [];
  kernel.register({
    id: 0,
    type: 'syscall',
    enabled: true,
    core: APPLY_TO_ALL,
    pid: APPLY_TO_ALL,
    stage: 'pre',
    shortCircuit: false,
    immediate: true,
    condition: null,
    actions,
    p1: BigInt(APPLY_TO_ALL),
    p2: 0n,
    p3: 0n,
    access: 0,
  });
  workload.runOccurrences(OCCURRENCES / 10); // warm-up: JIT and Unicorn's translation cache
  const before = stats.counters(0).triggers;
  const t0 = performance.now();
  workload.runOccurrences(OCCURRENCES);
  const seconds = (performance.now() - t0) / 1000;
  const events = stats.counters(0).triggers - before;
  if (withAction && printed === 0) throw new Error('the action produced no records');
  guest.emulator.close();
  return events / seconds;
}

/** Lines per second a pty reader receives from `argv`, counting lines that start with HDBG1. */
function ptyLinesPerSecond(argv: string[], commands: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = pty.spawn(process.execPath, argv, { cols: PTY_COLUMNS, rows: 50, cwd: repo });
    let counting = false;
    let lines = 0;
    p.onData((d) => {
      if (!counting) return;
      let i = d.indexOf('HDBG1');
      while (i >= 0) {
        lines++;
        i = d.indexOf('HDBG1', i + 5);
      }
    });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    void (async () => {
      try {
        await sleep(500);
        for (const c of commands) {
          p.write(`${c}\r`);
          await sleep(100);
        }
        await sleep(WARMUP_MS);
        counting = true;
        const t0 = performance.now();
        await sleep(MEASURE_MS);
        const seconds = (performance.now() - t0) / 1000;
        p.kill();
        resolve(lines / seconds);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    })();
  });
}

export default (async () => {
  const withAction: number[] = [];
  const withoutAction: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    withoutAction.push(inProcess(false));
    withAction.push(inProcess(true));
  }
  const measured = medianOfRuns(withAction);
  const baseline = medianOfRuns(withoutAction).value;
  const results: BenchResult[] = [
    {
      name: 'simulator: seed ImageFileName action, in process, one core',
      baseline: {
        label: 'same workload, !syscall without action',
        value: baseline,
        unit: 'events/s',
      },
      measured: { label: 'with the action executing', value: measured.value, unit: 'events/s' },
      ratio: measured.value / baseline,
      ratioMeaning:
        'share of the action-free speed kept while running the action (higher is better)',
      goal: {
        text: `>= ${GOAL_EVENTS_PER_SECOND} events/s with the action`,
        met: measured.value >= GOAL_EVENTS_PER_SECOND,
      },
      spread: measured.spread,
      extra: { occurrencesPerRun: OCCURRENCES, runs: RUNS },
    },
  ];

  const simEntry = join(repo, 'dist/sim/index.mjs');
  const simRuns: number[] = [];
  const ceilingRuns: number[] = [];
  // The pty's ceiling: one process printing ready-made lines of the same shape in 64 KiB writes.
  const writer =
    "const l='HDBG1 0 0 55 18 6e49686372616553 2002e7265786564 0\\n'.repeat(1200);" +
    'const t=Date.now();(function w(){while(process.stdout.write(l)){if(Date.now()-t>20000)process.exit(0)}process.stdout.once("drain",w)})()';
  for (let i = 0; i < PTY_RUNS; i++) {
    simRuns.push(
      await ptyLinesPerSecond(
        [simEntry, '--seed', '5', '--pacing', 'fast', '--rate', 'max', '--cores', '1'],
        [
          '.connect local',
          'load vmm',
          `!syscall code {${SEED_CODE}} buffer ${SEED_BUFFER.toString(16)}`,
        ],
      ),
    );
    ceilingRuns.push(await ptyLinesPerSecond(['-e', writer], []));
  }
  const sim = medianOfRuns(simRuns);
  const simRate = sim.value;
  const ceiling = medianOfRuns(ceilingRuns).value;
  results.push({
    name: 'simulator: seed ImageFileName action, end to end through a pty',
    baseline: {
      label: 'pty ceiling (a process writing ready-made HDBG1 lines)',
      value: ceiling,
      unit: 'lines/s',
    },
    measured: { label: 'records received from the simulator', value: simRate, unit: 'records/s' },
    ratio: simRate / ceiling,
    ratioMeaning: "share of the pty's capacity the simulator fills (higher is better)",
    goal: {
      text: `>= ${GOAL_EVENTS_PER_SECOND} records/s through the pty`,
      met: simRate >= GOAL_EVENTS_PER_SECOND,
    },
    spread: sim.spread,
    extra: { measureMs: MEASURE_MS, pacing: 'fast', rate: 'max', cores: 1 },
  });
  return results;
}) satisfies Bench;
