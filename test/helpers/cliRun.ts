// Runs the built `hyperdbg-studio` command line (bin/hyperdbg-studio.mjs) as a user would and
// collects what it printed; and reads `capture`'s summary line by its names. Test side (tests and
// benches: no test framework here).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

export const CLI_BIN = join(repoRoot, 'bin/hyperdbg-studio.mjs');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `hyperdbg-studio ...args`, with `input` on its stdin (closed at once without). */
export function runCli(args: readonly string[], input = ''): Promise<CliRun> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI_BIN, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdin.end(input);
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `capture`'s summary: records, malformed, rate, lost (a number, or `unknown` for HDBG1 records),
 * in_flight, sim_*, and tables/counted when a script counted in the target.
 */
const CAPTURE_SUMMARY =
  /^records=(\d+) malformed=(\d+) rate=(\d+)\/s lost=(\d+|unknown) in_flight<=(\d+) sim_emitted=(\d+) sim_dropped=(\d+) sim_pending=(\d+)(?: tables=(\d+) counted=(\d+))?\n$/;

export interface CaptureSummary {
  readonly records: number;
  readonly malformed: number;
  readonly rate: number;
  /** NaN when it reads `unknown`. */
  readonly lost: number;
  readonly inFlight: number;
  readonly emitted: number;
  readonly dropped: number;
  readonly pending: number;
  /** NaN without count tables. */
  readonly tables: number;
  readonly counted: number;
}

/** The summary's numbers by name; throws (failing a test) when stdout is not one summary line. */
export function captureSummaryOf(stdout: string): CaptureSummary {
  const m = CAPTURE_SUMMARY.exec(stdout);
  if (m === null) throw new Error(`not one capture summary line: ${JSON.stringify(stdout)}`);
  const n = m.slice(1).map((x) => (x === undefined ? NaN : Number(x)));
  const [records, malformed, rate, lost, inFlight, emitted, dropped, pending, tables, counted] =
    n as [number, number, number, number, number, number, number, number, number, number];
  return { records, malformed, rate, lost, inFlight, emitted, dropped, pending, tables, counted };
}
