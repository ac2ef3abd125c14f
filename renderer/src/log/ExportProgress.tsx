// A running export's progress and its Cancel button (a cancelled export leaves no file), shown
// above the log table while the host writes the file. Renderer only.
import { formatCount } from './format';
import type { LogViewStore } from './logViewStore';

export function ExportProgress({ store }: { store: LogViewStore }) {
  const e = store.exportState;
  if (e.busy === null) return null;
  const p = e.progress ?? null;
  const pct = p === null || p.of === 0 ? null : Math.floor((p.done / p.of) * 100);
  return (
    <div className="log-banner" role="status" data-testid="log-export-progress">
      Exporting {e.busy.toUpperCase()}…{' '}
      {p !== null && (
        <span data-testid="log-export-progress-count">
          {formatCount(p.done)} of {formatCount(p.of)} records{pct !== null ? ` (${pct}%)` : ''}
        </span>
      )}
      <progress max={p?.of ?? 1} value={p?.done ?? 0} aria-label="Export progress" />
      <button
        type="button"
        data-testid="log-export-cancel"
        onClick={() => store.cancelExport()}
        title="Stop the export; the partial file is removed"
      >
        Cancel
      </button>
    </div>
  );
}
