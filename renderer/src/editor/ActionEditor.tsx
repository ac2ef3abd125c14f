// The action editor (main region): name, description, tags and event kinds; for code actions
// the assembly editor with its live listing, the condition code and the buffer; for log actions
// the script; for both the buffer schema with a preview. Save (Ctrl+S) guards against an edit
// made elsewhere meanwhile with `baseVersion`; History restores old versions.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Action } from '../../../shared/model/action';
import { EVENT_KINDS, type EventKind } from '../../../shared/model/eventKinds';
import { flattenScript } from '../../../shared/hyperdbg/scriptFlattener';
import { useHost } from '../host/hooks';
import { requestBind, useUi } from '../app/appStore';
import { showToast } from '../app/toasts';
import { useHostQuery } from '../app/useHostQuery';
import { useSession, useTargetCapability } from '../session/SessionProvider';
import { DryRunPanel } from '../events/DryRunPanel';
import type { DryRunInput } from '../../../shared/contract/target';
import { LogFormSection } from './LogFormSection';
import { asmLanguage, scriptLanguage } from './asmLanguage';
import { BufferSchemaEditor } from './BufferSchemaEditor';
import { CodeEditor, type CodeEditorHandle, type LineDiagnostic } from './CodeEditor';
import {
  checkDraft,
  draftFromAction,
  formFieldOf,
  parseBufferSize,
  sameDraft,
  type EditorDraft,
  type FieldErrors,
} from './editorDraft';
import { stashDraft, stashedDraft } from './draftStash';
import { Field } from './Field';
import { HistoryPanel } from './HistoryPanel';
import { ListingView } from './ListingView';
import { shownResult, useAssembly, type AssemblyState } from './useAssembly';
import type { AsmDiagnostic } from '../../../shared/model/actionAssembly';

export function ActionEditor() {
  const id = useUi((s) => s.selectedActionId);
  const query = useHostQuery('library:get', id === null ? null : { id }, {
    key: id ?? '',
    refreshOn: ['library:changed'],
  });
  if (id === null)
    return (
      <div className="empty muted" data-testid="editor-empty">
        Select an action in the library, or create one with New.
      </div>
    );
  if (query.error !== null && query.value?.id !== id)
    return (
      <div className="error" role="alert">
        Could not open the action: {query.error.message}
      </div>
    );
  if (query.value === undefined || query.value.id !== id)
    return (
      <div className="muted" role="status">
        Opening…
      </div>
    );
  return <EditorForm key={id} latest={query.value} />;
}

/** The form for one action; `latest` is what the library holds now (it may move on). */
function EditorForm({ latest }: { readonly latest: Action }) {
  const host = useHost();
  const target = useTargetCapability();
  // Unsaved edits made earlier (the user looked at another action meanwhile) come back.
  const [stashed] = useState(() => stashedDraft(latest.id));
  const [base, setBase] = useState<Action>(() =>
    stashed === undefined ? latest : { ...latest, version: stashed.baseVersion },
  );
  const [draft, setDraft] = useState<EditorDraft>(() => stashed?.draft ?? draftFromAction(latest));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  /** The dry run shown: its input as it was when asked (editing does not rerun it). */
  const [dryRunInput, setDryRunInput] = useState<DryRunInput | null>(null);
  /** The build the listing resolves structure fields for; null: the connected target. */
  const [fieldsBuild, setFieldsBuild] = useState<number | null>(null);
  const { state: session } = useSession();
  const builds = useHostQuery('target:builds', {});
  const targetKey = `${session?.generation ?? 0}:${session?.windowsBuild.build ?? ''}:${session?.symbols ?? ''}`;
  const codeRef = useRef<CodeEditorHandle>(null);
  const condRef = useRef<CodeEditorHandle>(null);
  const scriptRef = useRef<CodeEditorHandle>(null);

  const dirty = !sameDraft(draft, draftFromAction(base));
  useEffect(() => {
    stashDraft(base.id, dirty ? { baseVersion: base.version, draft } : null);
  }, [base.id, base.version, dirty, draft]);
  // Someone saved (another window, a restore, a rename in the library): follow it unless the
  // user has edits of their own, which a banner then asks about.
  const remote = latest.version > base.version ? latest : null;
  if (remote !== null && !dirty) {
    setBase(remote);
    setDraft(draftFromAction(remote));
  }

  const patch = (p: Partial<EditorDraft>) => {
    setDraft((d) => ({ ...d, ...p }));
    setErrors((e) => {
      const keys = Object.keys(p);
      return Object.fromEntries(
        Object.entries(e).filter(
          ([k]) => !keys.some((key) => k === key || (key === 'schema' && k.startsWith('schema.'))),
        ),
      );
    });
  };

  const buffer = parseBufferSize(draft.bufferSize);
  const bufferBytes = buffer.ok ? buffer.value : 0;
  const eventKind = draft.eventKinds[0] ?? null;
  const code = useAssembly(draft.kind === 'code' ? draft.codeSource : null, {
    role: 'code',
    eventKind,
    bufferSize: bufferBytes,
    target,
    build: fieldsBuild,
    targetKey,
  });
  const condition = useAssembly(
    draft.kind === 'code' && draft.conditionEnabled ? draft.conditionSource : null,
    {
      role: 'condition',
      eventKind,
      bufferSize: 0,
      target,
      build: fieldsBuild,
      targetKey,
    },
  );
  const script = useMemo(
    () => (draft.kind === 'log' ? flattenScript(draft.script) : null),
    [draft.kind, draft.script],
  );

  const save = async (overwrite = false) => {
    const check = checkDraft(draft);
    if (!check.ok) {
      setErrors(check.error);
      showToast('Not saved: fix the fields marked in red', 'error');
      return;
    }
    setSaving(true);
    const r = await host.call('library:save', {
      id: base.id,
      baseVersion: overwrite ? latest.version : base.version,
      action: check.value,
    });
    setSaving(false);
    if (!r.ok) {
      if (r.error.code === 'conflict' && r.error.field === 'baseVersion')
        setConflict(r.error.message);
      else setErrors({ [formFieldOf(r.error.field)]: r.error.message.replace(/^[\w.]+: /, '') });
      return;
    }
    setConflict(null);
    setErrors({});
    setBase(r.value.action);
    setDraft(draftFromAction(r.value.action));
    const bad = [...r.value.diagnostics.code, ...r.value.diagnostics.condition].some(
      (d) => d.severity === 'error',
    );
    showToast(
      bad
        ? `Saved '${r.value.action.name}' v${r.value.action.version}; it does not assemble yet, so it cannot be bound`
        : `Saved '${r.value.action.name}' v${r.value.action.version}`,
      bad ? 'info' : 'ok',
    );
  };
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });
  const onSave = () => void saveRef.current();

  // Ctrl+S anywhere in the form (the code editors handle it themselves).
  const onFormKey = (e: React.KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
      e.preventDefault();
      onSave();
    }
  };

  return (
    <div className="editor-layout">
      <form
        className="action-editor"
        aria-label={`Edit ${base.name}`}
        data-testid="action-editor"
        onSubmit={(e) => {
          e.preventDefault();
          onSave();
        }}
        onKeyDown={onFormKey}
      >
        <div className="editor-head">
          <Field label="Name" error={errors.name} className="grow">
            {(fid, describedBy, invalid) => (
              <input
                id={fid}
                value={draft.name}
                maxLength={200}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => patch({ name: e.target.value })}
              />
            )}
          </Field>
          <div className="editor-meta">
            <span className={`kind kind-${draft.kind}`}>{draft.kind}</span>
            <span className="muted" data-testid="action-version">
              v{base.version}
            </span>
            {base.builtin !== null && <span className="mark builtin">built-in</span>}
            {dirty && <span className="mark warn">unsaved</span>}
          </div>
          <div className="button-row">
            <button
              type="submit"
              className="primary"
              disabled={saving || !dirty}
              title="Save (Ctrl+S)"
            >
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              disabled={!dirty}
              onClick={() => {
                setDraft(draftFromAction(base));
                setErrors({});
              }}
            >
              Revert
            </button>
            <button
              type="button"
              aria-pressed={showHistory}
              onClick={() => setShowHistory((v) => !v)}
            >
              History
            </button>
            <button
              type="button"
              onClick={() => requestBind([base.id])}
              disabled={dirty}
              title={dirty ? 'Save first: an event binds a saved version' : 'Bind to an event'}
            >
              Bind…
            </button>
            {draft.kind === 'code' && (
              <button
                type="button"
                data-testid="editor-dry-run"
                onClick={() =>
                  setDryRunInput({
                    draft: {
                      name: draft.name,
                      code: draft.codeSource,
                      condition: draft.conditionEnabled ? draft.conditionSource : null,
                      bufferSize: bufferBytes,
                      bufferSchema: schemaForDryRun(draft),
                    },
                    eventKind: eventKind ?? '!syscall',
                    ...(fieldsBuild !== null ? { build: fieldsBuild } : {}),
                  })
                }
                title="Run this code (as edited) on sample events of a synthetic guest"
              >
                Dry run
              </button>
            )}
          </div>
        </div>
        {(conflict !== null || remote !== null) && (
          <div className="banner warn" role="alert" data-testid="editor-conflict">
            {conflict ??
              `'${latest.name}' was saved elsewhere meanwhile (version ${latest.version}).`}{' '}
            <button
              type="button"
              onClick={() => {
                setBase(latest);
                setDraft(draftFromAction(latest));
                setConflict(null);
              }}
            >
              Discard mine, load v{latest.version}
            </button>
            <button type="button" onClick={() => void save(true)}>
              Keep mine (save over it)
            </button>
          </div>
        )}
        {errors.form !== undefined && (
          <div className="banner err" role="alert">
            {errors.form}
          </div>
        )}
        <div className="editor-row">
          <Field label="Description" className="grow">
            {(fid) => (
              <textarea
                id={fid}
                rows={2}
                value={draft.description}
                onChange={(e) => patch({ description: e.target.value })}
              />
            )}
          </Field>
          <div className="editor-col">
            <Field label="Tags" error={errors.tags} hint="comma-separated">
              {(fid, describedBy, invalid) => (
                <input
                  id={fid}
                  value={draft.tags}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  onChange={(e) => patch({ tags: e.target.value })}
                />
              )}
            </Field>
            <EventKindsField
              value={draft.eventKinds}
              onChange={(eventKinds) => patch({ eventKinds })}
            />
          </div>
        </div>

        {draft.kind === 'break' && (
          <p className="muted">
            Breaks to the debugger when the event triggers (Debugger Mode only: in VMI mode an event
            needs a code or log action).
          </p>
        )}

        {draft.kind === 'code' && dryRunInput !== null && (
          <DryRunPanel input={dryRunInput} onClose={() => setDryRunInput(null)} />
        )}
        {draft.kind === 'code' && (
          <div className="field-row small">
            <label className="muted" htmlFor="fields-build">
              Structure fields (EPROCESS.ImageFileName...) resolve for
            </label>
            <select
              id="fields-build"
              data-testid="fields-build"
              value={fieldsBuild ?? ''}
              onChange={(e) =>
                setFieldsBuild(e.target.value === '' ? null : Number(e.target.value))
              }
            >
              <option value="">
                {session?.status === 'ready' && session.windowsBuild.build !== null
                  ? `the connected target (build ${session.windowsBuild.build})`
                  : 'the connected target (none known: the reference build)'}
              </option>
              {(builds.value?.builds ?? []).map((b) => (
                <option key={b.build} value={b.build}>
                  {b.release} (build {b.build})
                </option>
              ))}
            </select>
          </div>
        )}
        {draft.kind === 'code' && (
          <>
            <CodeWithListing
              title="Custom code"
              hint="RCX = safe buffer, RDX = GUEST_REGS*, R8 = Context; return a buffer address in RAX"
              source={draft.codeSource}
              onChange={(codeSource) => patch({ codeSource })}
              assembly={code}
              editorRef={codeRef}
              testId="code"
              onSave={onSave}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={draft.conditionEnabled}
                onChange={(e) =>
                  patch({
                    conditionEnabled: e.target.checked,
                    conditionSource:
                      draft.conditionSource === ''
                        ? '; RAX = 0 skips the actions. RCX = GUEST_REGS*, RDX = Context.\n    mov eax, 1\n    ret'
                        : draft.conditionSource,
                  })
                }
              />
              Condition code{' '}
              <span className="muted">(runs first; RAX = 0 skips the event's actions)</span>
            </label>
            {draft.conditionEnabled && (
              <CodeWithListing
                title="Condition"
                hint="RCX = GUEST_REGS*, RDX = Context"
                source={draft.conditionSource}
                onChange={(conditionSource) => patch({ conditionSource })}
                assembly={condition}
                editorRef={condRef}
                testId="condition"
                onSave={onSave}
              />
            )}
          </>
        )}

        {draft.kind === 'log' && (
          <section className="code-pane" aria-label="Script">
            <h3 className="pane-title">
              Script <span className="muted">(HyperDbg script: the body of script {'{ }'})</span>
            </h3>
            <CodeEditor
              value={draft.script}
              onChange={(s) => patch({ script: s })}
              language={scriptLanguage}
              diagnostics={scriptDiagnostics(script)}
              ariaLabel="Script"
              testId="script-editor"
              handleRef={scriptRef}
              onSave={onSave}
              minLines={4}
              wrap
            />
            {errors.script !== undefined && (
              <div className="field-error" role="alert">
                {errors.script}
              </div>
            )}
            {script !== null && !script.ok && (
              <div className="field-error" role="alert" data-testid="script-problem">
                {script.error.line !== undefined ? `line ${script.error.line}: ` : ''}
                {script.error.message}
              </div>
            )}
            {script !== null &&
              script.ok &&
              script.value.warnings.map((w) => (
                <div key={w} className="warn-text small">
                  {w}
                </div>
              ))}
          </section>
        )}

        {draft.kind !== 'break' && (
          <div className="editor-row">
            <Field
              label="Buffer size (hex)"
              error={errors.bufferSize ?? (buffer.ok ? undefined : buffer.error)}
              hint={
                buffer.ok && buffer.value > 0
                  ? `buffer ${buffer.value.toString(16)} = ${buffer.value} bytes${draft.kind === 'code' ? ', sent as each record' : ' for $buffer'}`
                  : draft.kind === 'code'
                    ? 'none: RCX is NULL and nothing comes back'
                    : 'none ($buffer unused)'
              }
              testId="buffer-size-field"
              className="narrow"
            >
              {(fid, describedBy, invalid) => (
                <input
                  id={fid}
                  className="mono"
                  value={draft.bufferSize}
                  placeholder="0"
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  onChange={(e) => patch({ bufferSize: e.target.value })}
                />
              )}
            </Field>
            <div className="grow">
              <h3 className="pane-title">
                Buffer schema <span className="muted">(how each record decodes)</span>
              </h3>
              <BufferSchemaEditor
                rows={draft.schema}
                onChange={(schema) => patch({ schema })}
                errors={errors}
                recordBytes={draft.kind === 'code' ? bufferBytes : 16}
              />
            </div>
          </div>
        )}
        {draft.kind === 'code' && (
          <LogFormSection
            action={base}
            draft={draft}
            dirty={dirty}
            errors={errors}
            onChange={(p) => patch(p)}
          />
        )}
      </form>
      {showHistory && (
        <HistoryPanel action={base} dirty={dirty} onClose={() => setShowHistory(false)} />
      )}
    </div>
  );
}

/** The schema rows as the dry run takes them (rows that do not parse are left out). */
function schemaForDryRun(d: EditorDraft) {
  return d.schema.flatMap((r) => {
    const off = /^(?:0x([0-9a-f]+)|(\d+))$/i.exec(r.offset.trim());
    if (off === null || r.name.trim() === '') return [];
    const offset = off[1] !== undefined ? Number.parseInt(off[1], 16) : Number(off[2]);
    return [{ name: r.name.trim(), offset, type: r.type.trim() }];
  });
}

function scriptDiagnostics(r: ReturnType<typeof flattenScript> | null): LineDiagnostic[] {
  if (r === null || r.ok) return [];
  return [
    {
      line: r.error.line ?? 1,
      column: r.error.column,
      severity: 'error',
      message: r.error.message,
      source: 'script',
    },
  ];
}

function asmToLine(diags: readonly AsmDiagnostic[]): LineDiagnostic[] {
  return diags
    .filter((d) => d.line !== null)
    .map((d) => ({
      line: d.line ?? 1,
      severity: d.severity === 'note' ? 'info' : d.severity,
      message: d.message,
      source: d.code,
    }));
}

function CodeWithListing(props: {
  readonly title: string;
  readonly hint: string;
  readonly source: string;
  onChange(s: string): void;
  readonly assembly: AssemblyState;
  readonly editorRef: React.RefObject<CodeEditorHandle | null>;
  readonly testId: string;
  onSave(): void;
}) {
  const result = shownResult(props.assembly);
  const diagnostics = useMemo(() => asmToLine(result?.diagnostics ?? []), [result]);
  return (
    <div className="code-with-listing">
      <section className="code-pane" aria-label={props.title}>
        <h3 className="pane-title">
          {props.title} <span className="muted">({props.hint})</span>
        </h3>
        <CodeEditor
          value={props.source}
          onChange={props.onChange}
          language={asmLanguage}
          diagnostics={diagnostics}
          ariaLabel={`${props.title} assembly`}
          testId={`${props.testId}-editor`}
          handleRef={props.editorRef}
          onSave={props.onSave}
        />
      </section>
      <ListingView
        result={result}
        busy={props.assembly.status === 'assembling'}
        failure={props.assembly.status === 'failed' ? props.assembly.message : null}
        label={props.title}
        testId={`${props.testId}-listing`}
        onJump={(line) => props.editorRef.current?.goToLine(line)}
      />
    </div>
  );
}

function EventKindsField(props: {
  readonly value: readonly EventKind[];
  onChange(v: EventKind[]): void;
}) {
  return (
    <div className="field">
      <label>
        Written for <span className="muted small">(gives Context its meaning in the listing)</span>
      </label>
      <div className="chips">
        {props.value.map((k) => (
          <span key={k} className="chip on">
            {k}
            <button
              type="button"
              className="icon"
              aria-label={`Remove ${k}`}
              onClick={() => props.onChange(props.value.filter((x) => x !== k))}
            >
              ×
            </button>
          </span>
        ))}
        <select
          aria-label="Add an event kind"
          value=""
          onChange={(e) => {
            const k = e.target.value as EventKind;
            if (k && !props.value.includes(k)) props.onChange([...props.value, k]);
          }}
        >
          <option value="">{props.value.length === 0 ? 'any event' : 'add…'}</option>
          {EVENT_KINDS.filter((k) => !props.value.includes(k)).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
