// The selected record in full: every field with its type and offset, the event's Context, and
// the raw bytes as a hex dump (fetched on demand; rows carry only what the table shows).
import { useEffect, useState } from 'react';
import type { LogRecordDetail } from '../../../shared/contract/log';
import { useHost } from '../host/hooks';
import { formatTime } from './format';

export function RecordDetail({ seq, onClose }: { seq: number; onClose: () => void }) {
  const host = useHost();
  const [detail, setDetail] = useState<{ seq: number; value: LogRecordDetail | string }>();
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
    <aside className="log-detail" aria-label="Record details" data-testid="log-detail">
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
          <pre className="log-hexdump mono" data-testid="log-hexdump">
            {d.hexDump.length > 0 ? d.hexDump.join('\n') : '(no bytes)'}
          </pre>
        </>
      )}
    </aside>
  );
}
