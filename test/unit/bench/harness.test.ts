// The benchmark harness's statistics: a median that one outlying run cannot move, and the
// spread reported beside it.
import { describe, expect, it } from 'vitest';
import { median, medianOfRuns, percentile } from '../../bench/harness';

describe('bench harness', () => {
  it('takes the middle run, whatever the order and however far off one run is', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([3, 1000, 2, 4, 1])).toBe(3);
    // An even count takes the lower middle: a goal is never judged on an interpolated value.
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(() => median([])).toThrow(/no runs/);
  });

  it('reports the runs and their range beside the median', () => {
    expect(medianOfRuns([12, 10, 47, 11, 13])).toEqual({
      value: 12,
      spread: { runs: 5, min: 10, max: 47 },
    });
  });

  it('takes percentiles by nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile([], 95)).toBeNaN();
  });
});
