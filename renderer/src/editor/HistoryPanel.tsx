// Version history of one action: every save with its reason, time and bytes; view an old
// version's content beside the current one and restore it as the newest version.
import { useState } from 'react';
import type { Action, ActionVersion, VersionSummary } from '../../../shared/model/action';
import { useHost } from '../host/hooks';
import { showToast } from '../app/toasts';
import { useHostQuery } from '../app/useHostQuery';

const REASONS: Readonly<Record<VersionSummary['reason'], string>> = {
  create: 'created',
  save: 'saved',
  rename: 'renamed',
  restore: 'restored',
  duplicate: 'duplicated',
  import: 'imported',
  'builtin-install': 'installed (built-in)',
  'builtin-update': 'updated (built-in)',
  'builtin-restore': 'restored as shipped',
};

export function HistoryPanel(props: {
  readonly action: Action;
  readonly dirty: boolean;
  onClose(): void;
}) {
  const host = useHost();
  const { action } = props;
  const history = useHostQuery(
    'library:history',
    { id: action.id },
    { key: `${action.id}:${action.version}` },
  );
  const [viewing, setViewing] = useState<ActionVersion | null>(null);
  const [error, setError] = useState<string | null>(null);

  const view = async (version: number) => {
    const r = await host.call('library:get-version', { id: action.id, version });
    if (r.ok) setViewing(r.value);
    else setError(r.error.message);
  };
  const restore = async (version: number) => {
    const r = await host.call('library:restore-version', {
      id: action.id,
      version,
      baseVersion: action.version,
    });
    if (r.ok) {
      showToast(
        `Restored version ${version} of '${action.name}' as version ${r.value.version}`,
        'ok',
      );
      setViewing(null);
    } else setError(r.error.message);
  };

  return (
    <aside className="history" aria-label="Version history" data-testid="history">
      <div className="history-head">
        <strong>History</strong>
        <button type="button" className="icon" aria-label="Close history" onClick={props.onClose}>
          ×
        </button>
      </div>
      {props.dirty && <p className="warn-text small">Restoring replaces your unsaved edits.</p>}
      {error !== null && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {history.value === undefined ? (
        <div className="muted">Loading…</div>
      ) : (
        <ol className="versions">
          {history.value.map((v) => (
            <li key={v.version} className={v.version === action.version ? 'current' : undefined}>
              <div>
                <strong>v{v.version}</strong> {REASONS[v.reason]}{' '}
                <span className="muted small">{new Date(v.savedAt).toLocaleString()}</span>
              </div>
              <div className="muted small mono" title={`sha256 ${v.hash}`}>
                {v.name} ·{' '}
                {v.codeBytesHex === null ? 'no code bytes' : `${v.codeBytesHex.length / 2} bytes`} ·{' '}
                {v.hash.slice(0, 10)}
              </div>
              <div className="button-row">
                <button type="button" onClick={() => void view(v.version)}>
                  View
                </button>
                {v.version !== action.version && (
                  <button type="button" onClick={() => void restore(v.version)}>
                    Restore
                  </button>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
      {viewing !== null && (
        <div className="version-view" data-testid="version-view">
          <div className="history-head">
            <strong>
              v{viewing.version}: {viewing.content.name}
            </strong>
            <button
              type="button"
              className="icon"
              aria-label="Close version"
              onClick={() => setViewing(null)}
            >
              ×
            </button>
          </div>
          <pre className="mono small">{versionText(viewing)}</pre>
        </div>
      )}
    </aside>
  );
}

function versionText(v: ActionVersion): string {
  const c = v.content;
  switch (c.kind) {
    case 'break':
      return 'break to the debugger';
    case 'log':
      return `${c.script}\n\nbuffer ${c.bufferSize.toString(16)}`;
    case 'code':
      return [
        c.code.source,
        `\nbytes: ${c.code.bytesHex ?? '(did not assemble)'}`,
        c.condition !== null
          ? `\ncondition:\n${c.condition.source}\nbytes: ${c.condition.bytesHex ?? '(did not assemble)'}`
          : '',
        `\nbuffer ${c.bufferSize.toString(16)}`,
      ].join('\n');
  }
}
