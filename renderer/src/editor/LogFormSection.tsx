// A code action's log form, for targets whose custom code returns no buffers (stock v0.23): the
// script form derived from the saved code (its payload words and how they were translated), or
// why it has none; and the author's own payload instead, when they write one. Renderer only.
import type { Action } from '../../../shared/model/action';
import { useHostQuery } from '../app/useHostQuery';
import { useSession } from '../session/SessionProvider';
import type { EditorDraft, FieldErrors } from './editorDraft';

export function LogFormSection(props: {
  readonly action: Action;
  readonly draft: EditorDraft;
  readonly dirty: boolean;
  readonly errors: FieldErrors;
  onChange(p: Partial<EditorDraft>): void;
}) {
  const { state: session } = useSession();
  const resolved = useHostQuery(
    'target:resolve-action',
    { id: props.action.id },
    {
      key: `${props.action.version}:${session?.generation ?? 0}:${session?.windowsBuild.build ?? ''}`,
    },
  );
  const form = resolved.value?.actionId === props.action.id ? resolved.value.logForm : null;
  const d = props.draft;
  return (
    <section className="log-form" aria-label="Log form" data-testid="log-form">
      <h3 className="pane-title">
        Log form{' '}
        <span className="muted">
          (on a target that returns no buffers, a script prints the same record)
        </span>
      </h3>
      {resolved.error !== null ? (
        <div className="muted small">
          The log form could not be worked out: {resolved.error.message}
        </div>
      ) : form === null ? (
        <div className="muted small">…</div>
      ) : form.payload !== null ? (
        <div className="small" data-testid="log-form-derived">
          <div>
            {form.payload.origin === 'derived'
              ? 'Derived from the saved code'
              : 'Written by the author'}
            {props.dirty ? ' (the saved version; save to update it)' : ''}: {form.payload.length}{' '}
            bytes as{' '}
            {form.payload.words.map((w, i) => (
              <code key={i} className="mono" data-testid="log-form-word">
                {w}
              </code>
            ))}
          </div>
          {form.notes.length > 0 && <div className="muted">{form.notes.join('; ')}</div>}
          <code className="command-line" data-testid="log-form-script">
            {form.script}
          </code>
        </div>
      ) : (
        <div className="warn-text small" data-testid="log-form-none">
          No log form: {form.reason}
        </div>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={d.logFormOwn}
          data-testid="log-form-own"
          onChange={(e) =>
            props.onChange({
              logFormOwn: e.target.checked,
              logFormLength:
                d.logFormLength === '' && form?.payload != null
                  ? form.payload.length.toString(16)
                  : d.logFormLength,
              logFormWords:
                d.logFormWords === '' && form?.payload != null
                  ? form.payload.words.join('\n')
                  : d.logFormWords,
            })
          }
        />
        Write the log form myself
      </label>
      {d.logFormOwn && (
        <div className="field-row">
          <label className="field narrow">
            <span>Length (hex)</span>
            <input
              className="mono"
              value={d.logFormLength}
              onChange={(e) => props.onChange({ logFormLength: e.target.value })}
            />
          </label>
          <label className="field grow">
            <span>Words: one script expression per 8 bytes, e.g. dq($proc+0x5a8)</span>
            <textarea
              className="mono"
              rows={3}
              value={d.logFormWords}
              data-testid="log-form-words"
              onChange={(e) => props.onChange({ logFormWords: e.target.value })}
            />
          </label>
        </div>
      )}
      {props.errors.logForm !== undefined && (
        <div className="field-error" role="alert">
          {props.errors.logForm}
        </div>
      )}
    </section>
  );
}
