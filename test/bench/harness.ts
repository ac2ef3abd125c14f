// Shared shape of benchmark results: every target is reported as a ratio against a baseline
// measured in the same run, so numbers from different machines stay comparable.

export interface Measurement {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

export interface BenchResult {
  /** Short name, e.g. `parser: 100 MB transcript`. */
  readonly name: string;
  readonly baseline: Measurement;
  readonly measured: Measurement;
  /** measured / baseline (say in `ratioMeaning` which way is better). */
  readonly ratio: number;
  readonly ratioMeaning: string;
  /** The goal as text, and whether this run met it. */
  readonly goal: string;
  readonly goalMet: boolean;
  readonly extra?: Readonly<Record<string, number | string>>;
}

/** A bench module's default export. */
export type Bench = () => Promise<BenchResult[]>;

/** Emits one result for the runner (scripts/bench.mjs) to collect. */
export function report(result: BenchResult): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

/** Percentile of a sample (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function sortedCopy(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}
