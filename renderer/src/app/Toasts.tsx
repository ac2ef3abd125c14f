// The notices (see toasts.ts), in the status bar at the bottom of the window, never over the
// panes: the newest one with its action, the others one click away. A polite live region, so
// screen readers hear them too.
import { useState } from 'react';
import { dismissToast, useToasts, type Toast } from './toasts';

export function Toasts() {
  const toasts = useToasts();
  const [expanded, setExpanded] = useState(false);
  const newest = toasts[toasts.length - 1];
  const older = toasts.slice(0, -1);
  return (
    <div className="notices" role="status" aria-live="polite" data-testid="notices">
      {expanded && older.length > 0 && (
        <div className="notice-list" data-testid="notice-list">
          {older.map((t) => (
            <Notice key={t.id} toast={t} />
          ))}
        </div>
      )}
      {newest !== undefined && <Notice toast={newest} />}
      {older.length > 0 && (
        <button
          type="button"
          className="link notice-more"
          aria-expanded={expanded}
          data-testid="notice-more"
          onClick={() => setExpanded((x) => !x)}
        >
          {expanded ? 'fewer' : `+${older.length} more`}
        </button>
      )}
    </div>
  );
}

function Notice({ toast: t }: { toast: Toast }) {
  return (
    <div className={`toast toast-${t.tone}`} data-testid="toast">
      <span className="toast-text" title={t.text}>
        {t.text}
      </span>
      {t.action !== undefined && (
        <button
          type="button"
          onClick={() => {
            t.action?.run();
            dismissToast(t.id);
          }}
        >
          {t.action.label}
        </button>
      )}
      <button
        type="button"
        className="icon"
        aria-label="Dismiss"
        onClick={() => dismissToast(t.id)}
      >
        ×
      </button>
    </div>
  );
}
