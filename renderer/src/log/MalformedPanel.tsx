// The lines that looked like records but were not: kept in the session database and listed here
// with the parser's reason, so nothing the debugger printed is silently lost.
import { useEffect, useState } from 'react';
import type { MalformedRow } from '../../../shared/contract/log';
import { useHost } from '../host/hooks';
import { formatCount, formatTime } from './format';

/** Lines fetched per "more" click: a screenful or two; the panel is for reading, not scanning. */
const MALFORMED_PAGE = 200;

export function MalformedPanel({ total, onClose }: { total: number; onClose: () => void }) {
  const host = useHost();
  const [lines, setLines] = useState<readonly MalformedRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [want, setWant] = useState(MALFORMED_PAGE);
  useEffect(() => {
    let live = true;
    void host.call('log:malformed', { offset: 0, limit: Math.min(want, 1000) }).then((r) => {
      if (!live) return;
      if (r.ok) setLines(r.value.lines);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [host, want, total]);
  return (
    <div
      className="log-malformed"
      role="dialog"
      aria-label="Malformed lines"
      data-testid="log-malformed"
    >
      <div className="log-detail-head">
        <strong>{formatCount(total)} malformed lines</strong>
        <button type="button" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      {error !== null && <p className="error">{error}</p>}
      {total === 0 && <p className="muted">None so far: every record line decoded.</p>}
      <ol className="mono">
        {lines.map((l) => (
          <li key={l.seq}>
            <span className="muted">
              {formatTime(l.receivedAt)} · {l.reason}
            </span>
            <div className="log-malformed-text">{l.text}</div>
          </li>
        ))}
      </ol>
      {lines.length < total && lines.length < 1000 && (
        <button type="button" onClick={() => setWant((w) => w + MALFORMED_PAGE)}>
          More
        </button>
      )}
    </div>
  );
}
