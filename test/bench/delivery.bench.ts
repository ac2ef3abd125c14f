// Delivery on stock HyperDbg v0.23's pipe: `hyperdbg-studio capture` against the stock simulator
// at realistic pacing (one reader, one packet per 30 ms, a 1000-slot ring that overwrites), the
// ImageFileName log form on a fast `!syscall`. Baseline, same run: the per-event form (one record
// per packet, what every log action sent before batching). Measured: the batched form with the K
// the binder would choose for that rate. The goal is on the delivered rate, and only counts when
// the loss reported from sequence gaps equals what the simulator overwrote, exactly, in both runs.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chooseBatchSize,
  payloadToBatchScript,
  payloadToRecordScript,
} from '../../shared/hyperdbg/recordScript';
import type { RecordPayload } from '../../shared/model/recordPayload';
import { tempDir } from '../helpers/paths';
import type { Bench, BenchResult } from './harness';

/** The seed's ImageFileName read by a script on the 1909 guest (the simulator's default build). */
const PAYLOAD: RecordPayload = {
  length: 0xf,
  words: ['dq($proc+0x450)', 'dq($proc+0x458)'],
  origin: 'derived',
};
const EVENT_RATE = 5000;
const CAPTURE_SECONDS = 10;
/** The bar: batching must carry at least ten times what one record per packet does. */
const GOAL_RATIO = 10;

const repo = fileURLToPath(new URL('../..', import.meta.url));
const SUMMARY =
  /records=(\d+) malformed=(\d+) rate=(\d+)\/s lost=(\d+) in_flight<=(\d+) sim_emitted=(\d+) sim_dropped=(\d+) sim_pending=(\d+)/;

interface Summary {
  readonly records: number;
  readonly malformed: number;
  readonly rate: number;
  readonly lost: number;
  readonly inFlight: number;
  readonly emitted: number;
  readonly dropped: number;
  readonly pending: number;
}

function capture(script: string, seed: number): Promise<Summary> {
  const dir = tempDir('hds-delivery-bench-');
  const binding = JSON.stringify({ kind: '!syscall', buffer: '200', script });
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [
      join(repo, 'bin/hyperdbg-studio.mjs'),
      'capture',
      '--binding',
      binding,
      '--duration',
      String(CAPTURE_SECONDS),
      '--pacing',
      'realistic',
      '--rate',
      String(EVENT_RATE),
      '--seed',
      String(seed),
      '--stock',
      '--no-transcript',
      '--no-session',
      '--data-dir',
      dir,
    ]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      const m = SUMMARY.exec(stdout);
      if (code !== 0 || m === null) {
        reject(new Error(`capture failed (exit ${code}): ${stdout} ${stderr}`));
        return;
      }
      const [records, malformed, rate, lost, inFlight, emitted, dropped, pending] = m
        .slice(1)
        .map(Number) as [number, number, number, number, number, number, number, number];
      resolve({ records, malformed, rate, lost, inFlight, emitted, dropped, pending });
    });
  });
}

export default (async () => {
  const k = chooseBatchSize(EVENT_RATE, PAYLOAD.length);
  const perEvent = await capture(payloadToRecordScript(PAYLOAD), 7);
  const batched = await capture(payloadToBatchScript(PAYLOAD, k, 'bd'), 7);
  // Exact: every overwritten packet is counted, one record each per event, K each batched.
  const perEventExact = perEvent.lost === perEvent.dropped && perEvent.malformed === 0;
  const batchedExact = batched.lost === batched.dropped * k && batched.malformed === 0;
  const ratio = batched.rate / Math.max(1, perEvent.rate);
  const results: BenchResult[] = [
    {
      name: `delivery: ImageFileName log form on !syscall at ${EVENT_RATE}/s, stock simulator, realistic pacing, ${CAPTURE_SECONDS} s`,
      baseline: {
        label: 'per event (one record per packet)',
        value: perEvent.rate,
        unit: 'records/s',
      },
      measured: { label: `batched, K=${k}`, value: batched.rate, unit: 'records/s' },
      ratio,
      ratioMeaning: 'records delivered per second, batched over per event (higher is better)',
      // One run each: a 10 s sustained window at the reader's fixed pace is its own average.
      goal: {
        text: `batched >= ${GOAL_RATIO}x per event, and lost == the simulator's overwritten records exactly in both`,
        met: ratio >= GOAL_RATIO && perEventExact && batchedExact,
      },
      extra: {
        k,
        perEventRecords: perEvent.records,
        perEventLost: perEvent.lost,
        perEventSimDropped: perEvent.dropped,
        batchedRecords: batched.records,
        batchedLost: batched.lost,
        batchedSimDroppedPackets: batched.dropped,
        batchedInFlightBound: batched.inFlight,
        perEventExact: String(perEventExact),
        batchedExact: String(batchedExact),
      },
    },
  ];
  return results;
}) satisfies Bench;
