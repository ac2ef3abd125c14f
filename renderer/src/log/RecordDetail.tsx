// The selected record in full: every field with its type and offset, the event's Context, the
// action's whole name, and every byte as a hex dump (offsets, hex, ASCII; 16 bytes a line where
// the pane is wide enough, else 8). Fetched on demand: rows carry only what the table shows.
import { useEffect, useRef, useState } from 'react';
import type { LogRecordDetail } from '../../../shared/contract/log';
import { useHost } from '../host/hooks';
import { formatTime, hexDumpLines } from './format';

/**
 * Pane width (px) from which a dump line holds 16 bytes: 69 characters of 12 px monospace
 * (offset, 16 x 3 hex, 16 ASCII) plus the gaps and paddings.
 */
const WIDE_DUMP_PX = 560;

export function RecordDetail({ seq, onClose }: { seq: number; onClose: () => void }) {
  const host = useHost();
  const [detail, setDetail] = useState<{ seq: number; value: LogRecordDetail | string }>();
  const paneRef = useRef<HTMLElement>(null);
  const [perLine, setPerLine] = useState<8 | 16>(16);
  useEffect(() => {
    const el = paneRef.current;
    if (el === null) return;
    const ro = new ResizeObserver(() => setPerLine(el.clientWidth >= WIDE_DUMP_PX ? 16 : 8));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    let live = true;
    void host.call('log:record', { seq }).then((r) => {
      if (live) setDetail({ seq, value: r.ok ? r.value : r.error.message });
    });
    return () => {
      live = false;
    };
  }, [host, seq]);

  const d = detail?.seq === seq ? detail.value : undefined;
  return (
    <aside
      className="log-detail"
      aria-label="Record details"
      data-testid="log-detail"
      ref={paneRef}
    >
      <div className="log-detail-head">
        <strong>Record {seq}</strong>
        <button type="button" onClick={onClose} title="Close (Esc)" aria-label="Close details">
          ×
        </button>
      </div>
      {d === undefined && <p className="muted">Loading…</p>}
      {typeof d === 'string' && <p className="error">{d}</p>}
      {typeof d === 'object' && (
        <>
          <table className="kv">
            <tbody>
              <tr>
                <th>time</th>
                <td>
                  {formatTime(d.row.receivedAt)} ({new Date(d.row.receivedAt).toISOString()})
                </td>
              </tr>
              <tr>
                <th>event</th>
                <td>
                  0x{d.row.eventId.toString(16)} (CLI run {d.row.generation})
                </td>
              </tr>
              <tr>
                <th>core</th>
                <td>{d.row.core}</td>
              </tr>
              <tr>
                <th>context</th>
                <td>0x{d.row.context}</td>
              </tr>
              <tr>
                <th>action</th>
                <td>{d.row.actionName ?? '(none: shown as hex)'}</td>
              </tr>
              <tr>
                <th>length</th>
                <td>
                  {d.row.length} (0x{d.row.length.toString(16)}) bytes
                </td>
              </tr>
            </tbody>
          </table>
          {d.fields.length > 0 && (
            <table className="log-fields">
              <thead>
                <tr>
                  <th>field</th>
                  <th>type @ offset</th>
                  <th>value</th>
                </tr>
              </thead>
              <tbody>
                {d.fields.map((f) => (
                  <tr key={f.name} className={f.missing ? 'muted' : ''}>
                    <td className="mono">{f.name}</td>
                    <td className="mono">
                      {f.type} @ 0x{f.offset.toString(16)}
                    </td>
                    <td className="mono" data-testid={`detail-${f.name}`}>
                      {f.display}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <HexDump hex={d.hex} perLine={perLine} />
        </>
      )}
    </aside>
  );
}

function HexDump({ hex, perLine }: { hex: string; perLine: 8 | 16 }) {
  if (hex === '') return <p className="muted">(no bytes)</p>;
  const lines = hexDumpLines(hex, perLine);
  // The column offsets 00..0f, spaced exactly as the bytes below them.
  const columns = Array.from({ length: perLine }, (_, i) => i.toString(16).padStart(2, '0'));
  const ruler = hexDumpLines(columns.join(''), perLine)[0]?.hex ?? '';
  return (
    <div className="log-hexdump mono" data-testid="log-hexdump" data-per-line={perLine}>
      <span className="log-hexdump-head">offset</span>
      <span className="log-hexdump-head">{ruler}</span>
      <span className="log-hexdump-head">ASCII</span>
      {lines.map((l) => (
        <span key={l.offset} className="log-hexdump-line" data-testid="log-hexdump-line">
          <span className="muted">{l.offset}</span>
          <span>{l.hex}</span>
          <span>{l.ascii}</span>
        </span>
      ))}
    </div>
  );
}
