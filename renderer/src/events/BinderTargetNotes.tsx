// What the target means for the chosen code action, under the binder's action slots: its
// structure fields and where their offsets came from, a build not known yet (with Detect), the
// stock target's missing buffers with the action's own log form to use instead (never another
// action's), and the choice to bind it as that log form. Renderer only.
import type { SessionState } from '../../../shared/contract/session';
import type { ResolvedAction } from '../../../shared/contract/target';
import type { Action } from '../../../shared/model/action';

export function BinderTargetNotes(props: {
  readonly code: (Action & { kind: 'code' }) | null;
  /** The code action resolved for the target (its current version), when it is. */
  readonly resolution: ResolvedAction | null;
  readonly session: SessionState | null;
  readonly useLogForm: boolean;
  /** The delivery plan chose counting in the target: the payload is counted, not printed. */
  readonly counted?: boolean;
  onUseLogForm(on: boolean): void;
  onDetectBuild(): void;
}) {
  const { code, resolution, session } = props;
  const logForm = resolution?.logForm ?? null;
  const stock = session?.capability?.returnsBuffers === false;
  const debuggerMode = session?.mode === 'debugger';
  const buildUnknown =
    session?.status === 'ready' &&
    session.windowsBuild.state !== 'known' &&
    session.windowsBuild.state !== 'detecting' &&
    resolution?.symbolic === true;
  const formOrigin = (p: { origin: 'derived' | 'authored' }) =>
    p.origin === 'derived' ? 'derived from its code' : 'written by its author';
  return (
    <>
      {resolution !== null && resolution.code !== null && resolution.code.fields.length > 0 && (
        <div className="muted small" data-testid="binder-fields">
          <div>Structure fields resolved for {resolution.resolvedFor}:</div>
          <ul className="field-list">
            {resolution.code.fields.map((f) => (
              <li key={`${f.line}:${f.path}`} className="mono">
                {f.path} = 0x{f.value.toString(16)} <span className="muted">({f.originText})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {logForm !== null && logForm.payload !== null && (
        <label className="check small">
          <input
            type="checkbox"
            data-testid="binder-use-log-form"
            checked={props.useLogForm}
            onChange={(e) => props.onUseLogForm(e.target.checked)}
          />
          <span>
            Bind as its log form: a script printing the same record (no custom code runs; for stock
            builds, and Debugger Mode without <code>prealloc</code>)
          </span>
        </label>
      )}
      {buildUnknown && (
        <div className="banner warn" role="alert" data-testid="build-unknown">
          <span>
            The target&apos;s Windows build is not known
            {session.windowsBuild.detail !== null ? ` (${session.windowsBuild.detail})` : ''}:
            &apos;
            {code?.name}&apos; names structure fields, so its offsets cannot be chosen.
            {debuggerMode
              ? ' Detecting it applies a one-shot script event (the debuggee pauses briefly).'
              : ''}
          </span>
          <button type="button" data-testid="detect-build" onClick={props.onDetectBuild}>
            Detect the build
          </button>
        </div>
      )}
      {stock && code !== null && code.bufferSize > 0 && !props.useLogForm && !props.counted && (
        <div className="banner warn" role="alert" data-testid="stock-notice">
          <span>
            This target is a stock HyperDbg build: custom code&apos;s buffers never come back, so
            &apos;{code.name}&apos; will produce no records.
            {logForm !== null && logForm.payload !== null
              ? ` Its log form (${formOrigin(logForm.payload)}) prints the same record with a script that reads the same memory.`
              : logForm !== null
                ? ` It has no log form: ${logForm.reason}.`
                : ''}
          </span>
          {logForm !== null && logForm.payload !== null && (
            <button
              type="button"
              className="primary"
              data-testid="use-log-form"
              onClick={() => props.onUseLogForm(true)}
            >
              Use its log form
            </button>
          )}
        </div>
      )}
      {props.counted === true && code !== null && (
        <div className="banner info" data-testid="counted-notice">
          <span>
            &apos;{code.name}&apos; is counted in the target: a script keys a table on the first
            word of its log form&apos;s record and prints the table once per period (no custom code
            runs; docs/buffer-records.md §7).
          </span>
        </div>
      )}
      {props.useLogForm && !props.counted && code !== null && (
        <div className="banner info" data-testid="log-form-notice">
          <span>
            &apos;{code.name}&apos; is bound as its log form
            {logForm?.payload != null ? ` (${formOrigin(logForm.payload)})` : ''}: a script prints
            each record.
            {logForm?.payload != null && logForm.notes.length > 0
              ? ` ${logForm.notes.join('; ')}.`
              : ''}
          </span>
          <button type="button" onClick={() => props.onUseLogForm(false)}>
            Bind the code instead
          </button>
        </div>
      )}
    </>
  );
}
