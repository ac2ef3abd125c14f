// The live log's Columns menu: a checkbox per column (the fixed ones, each decoded field, the
// bytes) and a reset of the dragged widths. The choice is kept like the widths
// (columnLayoutStore). Escape or a click outside closes it; focus returns to the button.
import { useEffect, useRef, useState } from 'react';
import { getColumnLayout, setColumnLayout, useColumnLayout } from './columnLayoutStore';
import { allColumns, withToggled } from './logColumns';

export function ColumnsMenu({ fieldNames }: { readonly fieldNames: readonly string[] }) {
  const layout = useColumnLayout();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLSpanElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const all = allColumns(fieldNames);
  const hiddenCount = all.filter((c) => layout.hidden.includes(c.id)).length;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (box.current !== null && !box.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('pointerdown', onDown);
    return () => window.removeEventListener('pointerdown', onDown);
  }, [open]);

  return (
    <span
      className="log-columns"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        type="button"
        ref={button}
        data-testid="log-columns"
        aria-expanded={open}
        aria-haspopup="true"
        title="Choose the columns; drag a header's edge to resize, click it to sort"
        onClick={() => setOpen((o) => !o)}
      >
        Columns{hiddenCount > 0 ? ` (${hiddenCount} hidden)` : ''}
      </button>
      {open && (
        <div
          className="log-columns-menu"
          role="group"
          aria-label="Columns"
          data-testid="log-columns-menu"
        >
          {all.map((c) => (
            <label key={c.id} title={c.title}>
              <input
                type="checkbox"
                checked={!layout.hidden.includes(c.id)}
                data-testid={`log-column-${c.id}`}
                onChange={() => setColumnLayout(withToggled(getColumnLayout(), c.id, all))}
              />
              {c.label}
            </label>
          ))}
          <button
            type="button"
            className="link"
            data-testid="log-columns-reset"
            disabled={Object.keys(layout.widths).length === 0}
            onClick={() => setColumnLayout({ ...getColumnLayout(), widths: {} })}
          >
            Reset widths
          </button>
        </div>
      )}
    </span>
  );
}
