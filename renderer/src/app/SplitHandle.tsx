// The draggable line between the main region and the bottom region (also arrow keys when
// focused): sets the share of height the editor gets; the choice is remembered.
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { clampShare, updateUi, useUi } from './appStore';

/** One arrow-key press moves the split by this share of the height. */
const KEY_STEP = 0.05;

export function SplitHandle() {
  const share = useUi((s) => s.mainShare);
  const dragging = useRef(false);

  const shareAt = (clientY: number, el: HTMLElement) => {
    const grid = el.closest('.regions');
    if (grid === null) return share;
    const r = grid.getBoundingClientRect();
    return clampShare((clientY - r.top) / Math.max(1, r.height));
  };
  const onDown = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    if (dragging.current) updateUi({ mainShare: shareAt(e.clientY, e.currentTarget) });
  };
  const onUp = () => {
    dragging.current = false;
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      updateUi({ mainShare: clampShare(share + (e.key === 'ArrowDown' ? KEY_STEP : -KEY_STEP)) });
    }
  };
  return (
    <div
      className="split-handle"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the editor and the log"
      aria-valuenow={Math.round(share * 100)}
      aria-valuemin={20}
      aria-valuemax={80}
      tabIndex={0}
      onPointerDown={onDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerCancel={onUp}
      onKeyDown={onKey}
    />
  );
}
