// Simulator throughput with a log script of the kind generated scripts use: a sequence number per
// core in consecutive globals, four records per core gathered in globals and printed in one
// printf, and a per-process count table keyed by the first 8 bytes of ImageFileName. In process
// on four cores, against the same workload whose !syscall event has no action. Goal: the script
// keeps up with 5000 events/s.
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
import { compileScript } from '../../electron/sim/script/parser';
import { GlobalNames } from '../../electron/sim/script/pools';
import { medianOfRuns, type Bench, type BenchResult } from './harness';

const GOAL_EVENTS_PER_SECOND = 5000;
const CORES = 4;
const OCCURRENCES = 100_000;
const RUNS = 5;
const SLOTS = 16;

const globals = [
  ...Array.from({ length: CORES }, (_, c) => `.seq${c} = 0;`),
  ...Array.from({ length: CORES }, (_, c) => `.cnt${c} = 0;`),
  ...Array.from({ length: CORES * 8 }, (_, i) => `.rec${i} = 0;`),
  '.used = 0;',
  ...Array.from({ length: SLOTS }, (_, i) => `.key${i} = 0;`),
  ...Array.from({ length: SLOTS }, (_, i) => `.hits${i} = 0;`),
].join(' ');
const printed = Array.from({ length: 4 }, (_, j) => `recs[${2 * j}], recs[${2 * j + 1}]`).join(
  ', ',
);
const SCRIPT = `if (0) { ${globals} }
unsigned long long *.seqs = &.seq0;
unsigned long long *.cnts = &.cnt0;
unsigned long long *.keys = &.key0;
unsigned long long *.hits = &.hits0;
unsigned long long *recs = &.rec0 + $core * 8;
.seqs[$core]++;
i = .cnts[$core];
recs[i * 2] = .seqs[$core];
recs[i * 2 + 1] = $pid;
.cnts[$core] = i + 1;
if (.cnts[$core] == 4) {
  printf("%x %x: %llx/%x %llx/%x %llx/%x %llx/%x\\n", $event_id, $core, ${printed});
  .cnts[$core] = 0;
}
name = dq($pname);
i = 0;
found = 0;
while (i < .used) {
  if (.keys[i] == name) {
    .hits[i]++;
    found = 1;
    break;
  }
  i++;
}
if (found == 0) {
  if (.used < 0n${SLOTS}) {
    .keys[.used] = name;
    .hits[.used] = 1;
    .used++;
  }
}`;

function inProcess(withScript: boolean): { eventsPerSecond: number; lines: number } {
  const guest = WindowsGuest.create({ seed: 5, cores: CORES, osBuild: 18363 });
  const kernel = new EventKernel();
  const stats = new SimStats();
  let lines = 0;
  const transport = new MessageTransport({ pacing: 'fast', print: () => lines++, stats });
  const runner = new HyperDbgActionRunner(guest, 1_000_000);
  const dispatcher = new EventDispatcher({
    guest,
    kernel,
    runner,
    transport,
    stats,
    stock: false,
    // Not stock: custom code runs and never bug-checks.
    onBugCheck: () => undefined,
  });
  dispatcher.initializeScriptEngine();
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
  const actions: KernelAction[] = withScript
    ? [
        {
          kind: 'script',
          script: compileScript(SCRIPT, () => null, new GlobalNames()),
          buffer: 0n,
          bufferSize: 0,
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
  workload.runOccurrences(OCCURRENCES / 10); // warm-up
  const before = stats.counters(0).triggers;
  const t0 = performance.now();
  workload.runOccurrences(OCCURRENCES);
  const seconds = (performance.now() - t0) / 1000;
  const events = stats.counters(0).triggers - before;
  guest.emulator.close();
  if (withScript && lines === 0) throw new Error('the script printed nothing');
  return { eventsPerSecond: events / seconds, lines };
}

export default (async () => {
  const withScript: number[] = [];
  const without: number[] = [];
  let lines = 0;
  for (let i = 0; i < RUNS; i++) {
    without.push(inProcess(false).eventsPerSecond);
    const r = inProcess(true);
    withScript.push(r.eventsPerSecond);
    lines = r.lines;
  }
  const measured = medianOfRuns(withScript);
  const baseline = medianOfRuns(without).value;
  const result: BenchResult = {
    name: 'simulator: generated-style log script (globals, records, count table), four cores',
    baseline: {
      label: 'same workload, !syscall without action',
      value: baseline,
      unit: 'events/s',
    },
    measured: { label: 'with the script running', value: measured.value, unit: 'events/s' },
    ratio: measured.value / baseline,
    ratioMeaning: 'share of the action-free speed kept while running the script (higher is better)',
    goal: {
      text: `>= ${GOAL_EVENTS_PER_SECOND} events/s with the script`,
      met: measured.value >= GOAL_EVENTS_PER_SECOND,
    },
    spread: measured.spread,
    extra: { occurrencesPerRun: OCCURRENCES, runs: RUNS, cores: CORES, linesLastRun: lines },
  };
  return [result];
}) satisfies Bench;
