// A virtualized list of fixed-height rows: only the rows on screen (plus a little overscan) exist
// in the DOM, so a million-row log costs the same to render as a hundred. Follows the tail when
// the user is at the bottom, and stops following the moment they scroll up.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Rows rendered beyond the visible ones, so fast scrolling shows no blank band. */
const OVERSCAN_ROWS = 8;
/**
 * Browsers cap an element's height (~33 M px in Chromium); beyond this many pixels the scroll
 * space is compressed and row positions are mapped proportionally.
 */
const MAX_SCROLL_PX = 15_000_000;

export interface VirtualListProps {
  readonly rowCount: number;
  readonly rowHeight: number;
  /** Renders row `index`; called only for rows in view. */
  readonly renderRow: (index: number) => ReactNode;
  /** Follow the newest row (the parent owns this so a toolbar toggle can drive it too). */
  readonly follow: boolean;
  readonly onFollowChange?: (follow: boolean) => void;
  /** Told which rows are in view, so the owner can fetch them. */
  readonly onRangeChange?: (first: number, last: number) => void;
  readonly className?: string;
  readonly ariaLabel?: string;
  readonly testId?: string;
}

export function VirtualList(props: VirtualListProps) {
  const { rowCount, rowHeight, renderRow, follow, onFollowChange, onRangeChange } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 400 });
  const programmatic = useRef(false);

  const fullHeight = rowCount * rowHeight;
  const scrollHeight = Math.min(fullHeight, MAX_SCROLL_PX);
  const scale = fullHeight > MAX_SCROLL_PX ? fullHeight / MAX_SCROLL_PX : 1;

  const visibleRows = Math.ceil(viewport.height / rowHeight) + 1;
  const firstVisible = Math.min(
    Math.max(0, rowCount - visibleRows + 1),
    Math.floor((viewport.top * scale) / rowHeight),
  );
  const first = Math.max(0, firstVisible - OVERSCAN_ROWS);
  const last = Math.min(rowCount, firstVisible + visibleRows + OVERSCAN_ROWS);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const ro = new ResizeObserver(() =>
      setViewport({ top: el.scrollTop, height: el.clientHeight }),
    );
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Follow the tail: after each growth, jump to the bottom (marked programmatic so the scroll
  // handler does not read it as the user leaving the tail).
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null || !follow) return;
    const bottom = Math.max(0, scrollHeight - el.clientHeight);
    if (Math.abs(el.scrollTop - bottom) > 1) {
      programmatic.current = true;
      el.scrollTop = bottom;
      setViewport({ top: el.scrollTop, height: el.clientHeight });
    }
  }, [follow, scrollHeight]);

  useEffect(() => {
    onRangeChange?.(first, last);
  }, [first, last, onRangeChange]);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (el === null) return;
    setViewport({ top: el.scrollTop, height: el.clientHeight });
    if (programmatic.current) {
      programmatic.current = false;
      return;
    }
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight;
    if (atBottom !== follow) onFollowChange?.(atBottom);
  }, [follow, onFollowChange, rowHeight]);

  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i}
        className="vrow"
        role="row"
        aria-rowindex={i + 1}
        style={{
          position: 'absolute',
          top: (i * rowHeight) / scale,
          height: rowHeight,
          left: 0,
          right: 0,
        }}
      >
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className={`vlist ${props.className ?? ''}`}
      onScroll={onScroll}
      role="grid"
      aria-label={props.ariaLabel}
      aria-rowcount={rowCount}
      data-testid={props.testId}
      tabIndex={0}
      style={{ overflowY: 'auto', position: 'relative', contain: 'strict' }}
    >
      <div style={{ height: scrollHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
