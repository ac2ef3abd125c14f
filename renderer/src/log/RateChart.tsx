// The record rate over time as a small SVG bar chart: one bar per second, the newest at the
// right, with the peak and the window written on it. No chart library: a few hundred rects.
import { formatRate } from './format';

const WIDTH = 480;
const HEIGHT = 120;
const PAD_TOP = 14;
const PAD_BOTTOM = 16;

export function RateChart({ counts, startSec }: { counts: readonly number[]; startSec: number }) {
  const peak = Math.max(1, ...counts);
  const barW = WIDTH / Math.max(1, counts.length);
  const plotH = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const current = counts.length >= 2 ? (counts[counts.length - 2] as number) : 0;
  const start = new Date(startSec * 1000);
  return (
    <svg
      className="rate-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Records per second over the last ${counts.length} s; peak ${formatRate(peak)}`}
      data-testid="rate-chart"
    >
      <line x1={0} x2={WIDTH} y1={PAD_TOP} y2={PAD_TOP} className="rate-grid" />
      <line
        x1={0}
        x2={WIDTH}
        y1={HEIGHT - PAD_BOTTOM}
        y2={HEIGHT - PAD_BOTTOM}
        className="rate-axis"
      />
      {counts.map((c, i) => {
        const h = (c / peak) * plotH;
        return (
          <rect
            key={i}
            x={i * barW}
            width={Math.max(0.5, barW - 0.5)}
            y={HEIGHT - PAD_BOTTOM - h}
            height={h}
            className="rate-bar"
          >
            <title>{`${new Date((startSec + i) * 1000).toLocaleTimeString('en-GB')}: ${c} records`}</title>
          </rect>
        );
      })}
      <text x={2} y={PAD_TOP - 3} className="rate-label">
        peak {formatRate(peak)}
      </text>
      <text x={WIDTH - 2} y={PAD_TOP - 3} className="rate-label" textAnchor="end">
        last second {formatRate(current)}
      </text>
      <text x={2} y={HEIGHT - 3} className="rate-label">
        {start.toLocaleTimeString('en-GB')}
      </text>
      <text x={WIDTH - 2} y={HEIGHT - 3} className="rate-label" textAnchor="end">
        now
      </text>
    </svg>
  );
}
