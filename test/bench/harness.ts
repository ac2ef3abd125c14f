// Shared shape of benchmark results: every target is reported as a ratio against a baseline
// measured in the same run, so numbers from different machines stay comparable. Each goal is
// judged by exactly one result; a value near the noise is the median of several runs, reported
// with its spread. scripts/bench.mjs exits non-zero when a goal is missed.

export interface Measurement {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

/** A goal and whether this run met it. */
export interface Goal {
  readonly text: string;
  readonly met: boolean;
}

/** The runs a median was taken over: how many, and the smallest and largest value. */
export interface Spread {
  readonly runs: number;
  readonly min: number;
  readonly max: number;
}

export interface BenchResult {
  /** Short name, e.g. `parser: 100 MB transcript`. */
  readonly name: string;
  readonly baseline: Measurement;
  readonly measured: Measurement;
  /** measured / baseline (say in `ratioMeaning` which way is better). */
  readonly ratio: number;
  readonly ratioMeaning: string;
  /**
   * The goal this result judges, or null for a result that only informs (a p50 beside the p95
   * that carries the goal): a goal is counted once, on one result.
   */
  readonly goal: Goal | null;
  /**
   * Present when the value the goal is judged on (`measured.value`, or `ratio` for a goal on the
   * ratio) is the median of several runs: their count and range.
   */
  readonly spread?: Spread;
  readonly extra?: Readonly<Record<string, number | string>>;
}

/** A bench module's default export. */
export type Bench = () => Promise<BenchResult[]>;

/** Percentile of a sample (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function sortedCopy(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

/** The median (the lower middle value for an even count) of a non-empty sample. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no runs');
  const s = sortedCopy(xs);
  return s[Math.floor((s.length - 1) / 2)] as number;
}

/** The median of several runs' values and their spread, for a result judged on the median. */
export function medianOfRuns(values: readonly number[]): { value: number; spread: Spread } {
  const s = sortedCopy(values);
  return {
    value: median(s),
    spread: { runs: s.length, min: s[0] as number, max: s[s.length - 1] as number },
  };
}
