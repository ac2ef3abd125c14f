// Number, time and size formatting for the log panes. Pure.

/** Local wall-clock time with milliseconds, as a log line shows it: `14:03:07.412`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** 1234567 -> `1,234,567` (fixed locale, so tests and screenshots read the same). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatRate(perSec: number): string {
  if (perSec >= 10_000) return `${(perSec / 1000).toFixed(1)}k/s`;
  if (perSec >= 100) return `${Math.round(perSec)}/s`;
  return `${perSec.toFixed(perSec < 10 ? 1 : 0)}/s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

/** Hex bytes spaced in pairs: `48444247` -> `48 44 42 47`. */
export function spacedHex(hex: string): string {
  return (hex.match(/../g) ?? []).join(' ');
}

/** One line of a hex dump: offset, the bytes in hex, the bytes as ASCII (`.` for the rest). */
export interface HexDumpLine {
  readonly offset: string;
  readonly hex: string;
  readonly ascii: string;
}

/**
 * The whole payload (lower-case hex) as dump lines of `perLine` bytes, WinDbg `db` style: a
 * wider gap after each 8 bytes, short last line padded so the ASCII column stays aligned.
 */
export function hexDumpLines(hex: string, perLine: 8 | 16): HexDumpLine[] {
  const bytes = hex.match(/../g) ?? [];
  const lines: HexDumpLine[] = [];
  for (let off = 0; off < bytes.length; off += perLine) {
    const row = bytes.slice(off, off + perLine);
    const cells = Array.from({ length: perLine }, (_, i) => row[i] ?? '  ');
    const hexText = cells.map((c, i) => (i > 0 && i % 8 === 0 ? ` ${c}` : c)).join(' ');
    const ascii = row
      .map((c) => {
        const x = parseInt(c, 16);
        return x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.';
      })
      .join('');
    lines.push({ offset: off.toString(16).padStart(4, '0'), hex: hexText, ascii });
  }
  return lines;
}

/**
 * What the target lost, beside every count and rate (issue: no view shows counts without it):
 * `1,234 lost`, or why it cannot be told (records without a sequence number, HDBG1).
 */
export function describeTargetLoss(stats: {
  readonly targetLost: number;
  readonly unsequenced: number;
  readonly total: number;
  /** Why the whole session's loss cannot be told (a past session's file, pastLoss.ts). */
  readonly lossUnknown?: string | null;
}): string {
  if (stats.lossUnknown != null) return `loss unknown (${stats.lossUnknown})`;
  const lost = `${formatCount(stats.targetLost)} lost`;
  if (stats.unsequenced === 0) return lost;
  if (stats.unsequenced >= stats.total && stats.targetLost === 0)
    return 'loss unknown (records without sequence numbers)';
  return `${lost}; loss of ${formatCount(stats.unsequenced)} records without sequence numbers unknown`;
}

/** The tooltip of a loss figure: where it comes from. */
export const TARGET_LOSS_TITLE =
  'Records the target made but the log never got (v0.23 overwrites its kernel ring without a word), counted from the gaps in each event’s and core’s sequence numbers (docs/buffer-records.md §2a)';
