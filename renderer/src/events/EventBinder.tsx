// The event binder (main region, second tab): an event kind from the catalog with its arguments
// and what Context means for it, filters, a condition, and the actions one HyperDbg event can
// carry (one code action and one log action sharing one buffer), the code resolved for the
// target's build (or bound as its log form on a stock target), a dry run, a live preview of the
// exact command line (with the app's record sink while records are forwarded), and Apply. Custom
// code on a target that probably runs it from NX memory asks for confirmation first (spec §5.6).
// Errors from the builder or the CLI show on the field they concern.
import { useEffect, useMemo, useRef, useState } from 'react';
import { buildFromBinding } from '../../../shared/hyperdbg/commandBuilder';
import { eventsListingText } from '../../../shared/hyperdbg/cliLine';
import { nxRiskWords, runsCustomCode } from '../../../shared/hyperdbg/nxRisk';
import { APP_SINK_NAME_RE, routeToSink } from '../../../shared/hyperdbg/sinkRouting';
import type { ActionSummary } from '../../../shared/model/action';
import {
  EVENT_CATALOG,
  EVENT_STAGES,
  eventKindInfo,
  type EventKind,
} from '../../../shared/model/eventCatalog';
import { useHost } from '../host/hooks';
import { updateUi, useUi } from '../app/appStore';
import { showToast } from '../app/toasts';
import { useHostQuery } from '../app/useHostQuery';
import { Field, SelectField, TextField } from '../editor/Field';
import { useSession } from '../session/SessionProvider';
import type { SessionState } from '../../../shared/contract/session';
import {
  bindingFromForm,
  emptyBinderForm,
  newBatchTag,
  fieldOfCliError,
  fieldOfHostError,
  withActions,
  withKind,
  type BinderForm,
} from './binderForm';
import { BinderTargetNotes } from './BinderTargetNotes';
import { DeliveryChoice, useObservedRate } from './DeliveryChoice';
import { DryRunPanel } from './DryRunPanel';
import { DeliveryPlan, newTableTag } from './DeliveryPlan';
import type { DryRunInput } from '../../../shared/contract/target';
import { useBoundActions } from './useBoundActions';
import { useResolutions } from './useResolutions';

export function EventBinder() {
  const host = useHost();
  const { state: session } = useSession();
  const bindRequest = useUi((s) => s.bindRequest);
  const library = useHostQuery(
    'library:list',
    { includeDeleted: false },
    { refreshOn: ['library:changed'] },
  );
  const [form, setForm] = useState<BinderForm>(() => emptyBinderForm());
  const [hostErrors, setHostErrors] = useState<Readonly<Record<string, string>>>({});
  const [applying, setApplying] = useState(false);
  const [advanced, setAdvanced] = useState(false);
  // "Bind…" in the library or the editor: start from those actions once they are read.
  const [handledRequest, setHandledRequest] = useState(0);
  const bindIds = useUi((s) => s.bindActionIds);
  const pendingBind = bindRequest !== handledRequest ? bindIds : [];
  const bound = useBoundActions([
    form.codeActionId,
    form.logActionId,
    form.conditionActionId,
    ...pendingBind,
  ]);
  if (
    pendingBind.length > 0 &&
    !bound.loading &&
    pendingBind.every((id) => bound.actions.has(id) || bound.missing.has(id))
  ) {
    const chosen = pendingBind.flatMap((id) => bound.actions.get(id) ?? []);
    setHandledRequest(bindRequest);
    setForm((f) =>
      withActions({ ...f, codeActionId: null, logActionId: null, conditionActionId: null }, chosen),
    );
    setHostErrors({});
  }

  const mode = session?.mode === 'debugger' ? 'debugger' : 'vmi';
  const resolutions = useResolutions(
    [form.codeActionId, form.conditionActionId],
    bound.actions,
    session,
  );
  const observed = useObservedRate(form.kind, session?.generation ?? 0);
  // K follows the observed rate in steps, so the preview does not change with every tick.
  const observedStep = observed === null ? 0 : Math.round(observed.rate / 50) * 50;
  const result = useMemo(
    () =>
      bindingFromForm(
        form,
        bound.actions,
        bound.hashes,
        mode,
        session?.symbols,
        session?.status === 'ready' ? resolutions : undefined,
        observedStep,
      ),
    [form, bound, mode, session?.symbols, session?.status, resolutions, observedStep],
  );
  /** The dry run shown: its input as it was when asked. */
  const [dryRunInput, setDryRunInput] = useState<DryRunInput | null>(null);
  const noAction = form.codeActionId === null && form.logActionId === null;
  // Before any action is chosen, "an event needs an action" is guidance, not a mistake.
  const errors: Record<string, string> = { ...result.errors, ...hostErrors };
  const needsAction = noAction && errors.log !== undefined ? errors.log : null;
  if (needsAction !== null) delete errors.log;
  const info = eventKindInfo(form.kind);
  const actions = library.value ?? [];
  const code = form.codeActionId !== null ? bound.actions.get(form.codeActionId) : undefined;
  const resolvedCode = code !== undefined ? resolutions.get(code.id) : undefined;
  const resolution =
    resolvedCode !== undefined &&
    resolvedCode !== 'pending' &&
    resolvedCode.version === code?.version
      ? resolvedCode
      : null;
  const connected = session?.status === 'ready';
  const records = session?.records;
  // What Apply sends: the host adds the app's sink the same way (sinkRouting.ts).
  const sent = useMemo(() => {
    if (result.binding === null || result.line === null) return null;
    const sink = records?.kind === 'forwarded' ? records.sink : null;
    const routed = routeToSink(result.binding, sink, (n) => APP_SINK_NAME_RE.test(n));
    if (routed.binding === result.binding)
      return { line: result.line, listed: result.listed, note: routed.note };
    const built = buildFromBinding(routed.binding, mode);
    return built.ok
      ? { line: built.value.line, listed: eventsListingText(built.value.line), note: routed.note }
      : { line: result.line, listed: result.listed, note: routed.note };
  }, [result, records, mode]);
  const nxRisk =
    session?.capability?.customCodeMayFault === true &&
    result.binding !== null &&
    runsCustomCode(result.binding);
  const [confirmingNx, setConfirmingNx] = useState(false);

  const patch = (p: Partial<BinderForm>) => {
    setForm((f) => ({ ...f, ...p }));
    setHostErrors({});
  };
  const setArg = (i: number, v: string) =>
    patch({ args: form.args.map((a, j) => (j === i ? v : a)) });

  const apply = async (acceptNxCrash = false) => {
    if (result.binding === null) return;
    if (nxRisk && !acceptNxCrash) {
      setConfirmingNx(true);
      return;
    }
    setApplying(true);
    const r = await host.call('events:apply', {
      binding: result.binding,
      source: result.source,
      ...(acceptNxCrash ? { acceptNxCrash: true } : {}),
    });
    setApplying(false);
    if (!r.ok && r.error.code === 'needs-confirmation') {
      // The host knew a risk this page did not (its capability changed meanwhile).
      setConfirmingNx(true);
      return;
    }
    if (!r.ok) {
      const byField = fieldOfHostError(r.error.field);
      const field = byField === 'form' ? fieldOfCliError(r.error.message, form) : byField;
      setHostErrors({ [field]: r.error.message });
      return;
    }
    showToast(`Event ${r.value.id} registered: ${r.value.command.slice(0, 80)}`, 'ok');
    // A batch's globals belong to the event just registered: the next binding gets its own.
    if (result.plan?.delivery === 'batched') setForm((f) => ({ ...f, batchTag: newBatchTag() }));
    // A second counted event must not share this one's globals (buffer-records.md §7).
    if (form.delivery === 'counted' && form.table !== undefined)
      patch({ table: { ...form.table, tag: newTableTag() } });
    updateUi({ bottomTab: r.value.printsRecords ? 'log' : 'events' });
  };

  return (
    <form
      className="binder"
      aria-label="Bind actions to an event"
      data-testid="event-binder"
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
          e.preventDefault();
          void apply();
        }
      }}
    >
      <div className="binder-grid">
        <div className="binder-col">
          <Field label="Event" error={errors.kind}>
            {(id) => (
              <select
                id={id}
                value={form.kind}
                onChange={(e) => patch(withKind(form, e.target.value as EventKind))}
                data-testid="binder-kind"
              >
                {EVENT_CATALOG.map((k) => (
                  <option key={k.kind} value={k.kind}>
                    {k.kind} — {k.summary}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="kind-info" data-testid="kind-info">
            <div className="mono">{info.syntax}</div>
            <div>
              <span className="muted">Context: </span>
              {info.context}
            </div>
            <div className="muted small">
              actions run in{' '}
              {info.actionsRunIn === 'vmx-root'
                ? 'VMX root (interrupts off)'
                : 'VMX non-root, inside a detour'}{' '}
              · stages {info.stages.join(', ')}
              {info.aliases.length > 0 ? ` · also ${info.aliases.join(', ')}` : ''}
            </div>
          </div>
          {info.args.map((a, i) => (
            <Field
              key={`${form.kind}-${a.name}`}
              label={
                <>
                  {a.name}{' '}
                  {a.required ? (
                    ''
                  ) : (
                    <span className="muted">
                      (optional{a.whenOmitted ? `: ${a.whenOmitted}` : ''})
                    </span>
                  )}
                </>
              }
              error={errors[`args.${i}`]}
              hint={a.description}
            >
              {(id, d, invalid) => (
                <input
                  id={id}
                  className="mono"
                  value={form.args[i] ?? ''}
                  aria-invalid={invalid}
                  aria-describedby={d}
                  data-testid={`binder-arg-${i}`}
                  placeholder={
                    a.grammar.type === 'address'
                      ? 'nt!NtCreateFile or fffff801`3c8f2d30'
                      : a.grammar.type === 'keyword'
                        ? a.grammar.values.slice(0, 4).join(' | ')
                        : a.grammar.type === 'range-end'
                          ? 'to-address, or l 1000'
                          : 'hex'
                  }
                  onChange={(e) => setArg(i, e.target.value)}
                />
              )}
            </Field>
          ))}
          <div className="field-row">
            <TextField
              label="Process (pid)"
              error={errors.pid}
              hint={info.requiresPid ? 'required for this event' : 'hex, or all'}
              className="narrow"
              value={form.pid}
              onChange={(v) => patch({ pid: v })}
              placeholder={info.requiresPid ? 'required' : 'any'}
              mono
              inputTestId="binder-pid"
            />
            <TextField
              label="Core"
              error={errors.core}
              hint="hex"
              className="narrow"
              value={form.core}
              onChange={(v) => patch({ core: v })}
              placeholder="any"
              mono
              inputTestId="binder-core"
            />
            <Field label="Stage" error={errors.stage} className="narrow">
              {(id, d, invalid) => (
                <select
                  id={id}
                  value={form.stage}
                  aria-invalid={invalid}
                  aria-describedby={d}
                  onChange={(e) => patch({ stage: e.target.value as BinderForm['stage'] })}
                >
                  <option value="">pre (default)</option>
                  {EVENT_STAGES.filter((s) => info.stages.includes(s)).map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <button
            type="button"
            className="link"
            aria-expanded={advanced}
            onClick={() => setAdvanced((v) => !v)}
          >
            {advanced ? '▾' : '▸'} Advanced (short-circuit, immediate messaging, output)
          </button>
          {advanced && (
            <div className="field-row">
              <SelectField
                label="Short-circuit (sc)"
                error={errors.sc}
                className="narrow"
                hint="on: skip what the event would do (stage pre)"
                value={form.sc}
                options={[
                  { value: '', label: 'off (default)' },
                  { value: 'on', label: 'on' },
                  { value: 'off', label: 'off' },
                ]}
                onChange={(sc) => patch({ sc })}
              />
              <SelectField
                label="Immediate (imm)"
                error={errors.imm}
                className="narrow"
                hint="no: only the first message of a batch shows"
                value={form.imm}
                options={[
                  { value: '', label: 'yes (default)' },
                  { value: 'yes', label: 'yes' },
                  { value: 'no', label: 'no' },
                ]}
                onChange={(imm) => patch({ imm })}
              />
              <TextField
                label="Output sinks"
                error={errors.output}
                className="grow"
                hint="names made with the output command, comma-separated (at most 5)"
                value={form.output}
                onChange={(v) => patch({ output: v })}
                mono
              />
            </div>
          )}
        </div>

        <div className="binder-col">
          <ActionSlot
            label="Custom-code action"
            kind="code"
            value={form.codeActionId}
            actions={actions}
            error={errors.code}
            missing={form.codeActionId !== null ? bound.missing.get(form.codeActionId) : undefined}
            testId="binder-code"
            onChange={(id) => patch({ codeActionId: id })}
          />
          <ActionSlot
            label="Log action (script)"
            kind="log"
            value={form.logActionId}
            actions={actions}
            error={errors.log}
            missing={form.logActionId !== null ? bound.missing.get(form.logActionId) : undefined}
            testId="binder-log"
            onChange={(id) => patch({ logActionId: id })}
          />
          <Field
            label="Condition"
            error={errors.condition}
            hint="condition code of a code action: RAX = 0 skips the actions"
          >
            {(id, d, invalid) => (
              <select
                id={id}
                value={form.conditionActionId ?? ''}
                aria-invalid={invalid}
                aria-describedby={d}
                data-testid="binder-condition"
                onChange={(e) => patch({ conditionActionId: e.target.value || null })}
              >
                <option value="">none: the actions run on every trigger</option>
                {actions
                  .filter((a) => a.kind === 'code')
                  .map((a) => (
                    <option key={a.id} value={a.id}>
                      condition of {a.name}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <TextField
            label="Buffer (hex)"
            error={errors.buffer}
            hint={
              result.bufferBytes > 0
                ? `${result.bufferBytes} bytes, shared by the event's actions`
                : 'none'
            }
            className="narrow"
            testId="binder-buffer-field"
            value={form.buffer}
            onChange={(v) => patch({ buffer: v })}
            placeholder={
              result.bufferBytes > 0 && form.buffer === ''
                ? result.bufferBytes.toString(16)
                : 'from the actions'
            }
            mono
            inputTestId="binder-buffer"
          />
          <BinderTargetNotes
            code={code?.kind === 'code' ? code : null}
            resolution={resolution}
            session={session}
            useLogForm={form.useLogForm}
            counted={form.delivery === 'counted'}
            onUseLogForm={(on) =>
              patch({
                useLogForm: on,
                ...(on ? { logActionId: null } : { delivery: 'per-event' as const }),
              })
            }
            onDetectBuild={() => void host.call('session:detect-build', {})}
          />
          {form.useLogForm && result.plan !== null && (
            <DeliveryChoice
              plan={result.plan}
              observed={observed}
              delivery={form.delivery === 'batched' ? 'batched' : 'per-event'}
              batchSize={form.batchSize}
              error={errors.batchSize}
              onChange={(p) => patch(p)}
            />
          )}
          {nxRisk && (
            <div className="warn-text small" data-testid="nx-warning">
              Stock v0.18–v0.23 runs custom and condition code from non-executable memory
              (docs/hyperdbg-v0.23.md §5.6): this event will most likely crash the target. Apply
              asks you to confirm.
            </div>
          )}
        </div>
      </div>

      {(code !== undefined || form.logActionId !== null) && (
        <DeliveryPlan
          session={session}
          kind={form.kind}
          recordBytes={
            resolution?.logForm?.payload?.length ?? (code?.kind === 'code' ? code.bufferSize : 16)
          }
          actionName={code?.name ?? null}
          payload={resolution?.logForm?.payload ?? null}
          args={form.args.map((a) => a.trim()).filter((a) => a !== '')}
          delivery={form.delivery ?? 'per-event'}
          unavailable={deliveryUnavailable(
            code?.kind === 'code',
            connected,
            resolution,
            mode === 'debugger',
          )}
          onChoose={(delivery, table, k) =>
            // Batched is a delivery of the log form (buffer-records.md §2b): choosing it binds one,
            // with the K the plan's row named (for the rate the plan worked from).
            patch({
              delivery,
              table,
              ...(delivery === 'batched'
                ? {
                    useLogForm: true,
                    logActionId: null,
                    ...(k !== undefined && k > 1 ? { batchSize: String(k) } : {}),
                  }
                : {}),
            })
          }
        />
      )}
      <section className="preview" aria-label="Command preview">
        <div className="preview-head">
          <strong>Command</strong>
          <span className="muted small">
            {sent !== null && sent.line !== result.line
              ? "the event's line; the app adds its record sink when it sends it"
              : 'exactly what is sent'}{' '}
            ({mode === 'debugger' ? 'Debugger Mode' : 'VMI mode'} rules)
          </span>
        </div>
        {result.line !== null && sent !== null ? (
          <>
            <code className="command-line" data-testid="command-preview">
              {result.line}
            </code>
            {sent.line !== result.line && (
              <div className="muted small">
                sent with the app&apos;s record sink as{' '}
                <code className="mono" data-testid="command-sent">
                  {sent.line}
                </code>
              </div>
            )}
            <div className="muted small">
              events lists it as: <span className="mono">{sent.listed}</span>
            </div>
            <RecordsLine records={records} note={sent.note} />
          </>
        ) : result.pending !== null ? (
          <div className="muted" data-testid="command-preview-pending">
            {result.pending}
          </div>
        ) : (
          <div className="muted" data-testid="command-preview-invalid">
            {Object.entries(errors)
              .filter(([k]) => k === 'form')
              .map(([, v]) => v)
              .join('; ') ||
              (needsAction !== null && Object.keys(errors).length === 0
                ? `Choose a code or log action: ${needsAction}`
                : 'Fix the fields marked in red to see the command.')}
          </div>
        )}
        {result.warnings.map((w) => (
          <div key={w} className="warn-text small">
            {w}
          </div>
        ))}
        {errors.form !== undefined && result.line !== null && (
          <div className="field-error" role="alert" data-testid="apply-error">
            {errors.form}
          </div>
        )}
        <div className="button-row">
          <button
            type="submit"
            className="primary"
            disabled={result.line === null || applying || !connected}
            data-testid="apply-binding"
            title="Apply (Ctrl+Enter)"
          >
            {applying ? 'Applying…' : 'Apply'}
          </button>
          {!connected && <span className="muted small">Connect to a target to apply.</span>}
          <button
            type="button"
            data-testid="binder-dry-run"
            disabled={code?.kind !== 'code'}
            title="Run the code on sample events of a synthetic guest of the target's build"
            onClick={() =>
              code?.kind === 'code' &&
              setDryRunInput({
                actionId: code.id,
                eventKind: form.kind,
                args: form.args.map((a) => a.trim()).filter((a) => a !== ''),
              })
            }
          >
            Dry run
          </button>
          {result.line !== null && (
            <button
              type="button"
              onClick={() => void navigator.clipboard?.writeText(result.line ?? '')}
            >
              Copy
            </button>
          )}
          <button
            type="button"
            onClick={() => {
              setForm(emptyBinderForm(form.kind));
              setHostErrors({});
            }}
          >
            Clear
          </button>
        </div>
      </section>
      {dryRunInput !== null && (
        <DryRunPanel input={dryRunInput} onClose={() => setDryRunInput(null)} />
      )}
      {confirmingNx && (
        <NxConfirmation
          mode={mode}
          logForm={
            !form.useLogForm && resolution?.logForm?.payload != null && code !== undefined
              ? code.name
              : null
          }
          onCancel={() => setConfirmingNx(false)}
          onUseLogForm={() => {
            setConfirmingNx(false);
            patch({ useLogForm: true, logActionId: null });
          }}
          onConfirm={() => {
            setConfirmingNx(false);
            void apply(true);
          }}
        />
      )}
    </form>
  );
}

/** Where the event's records will travel, under the preview. */
function RecordsLine(props: {
  readonly records: SessionState['records'] | undefined;
  readonly note: string | null;
}) {
  const r = props.records;
  if (r === undefined || r.kind === 'none') return null;
  return (
    <div className="muted small" data-testid="binder-records">
      {props.note !== null
        ? `records: ${props.note}`
        : r.kind === 'forwarded'
          ? `records: forwarded through the app's sink ${r.sink} (${r.transport}), not the console`
          : r.kind === 'pending'
            ? `records: forwarded once the sink is set up (${r.reason})`
            : `records: console — ${r.reason}`}
    </div>
  );
}

/**
 * Asks before custom code goes to a target that probably runs it from NX memory: what will
 * happen, the evidence, which machine goes down, and the action's own log form instead, when it
 * has one (spec §5.6).
 */
function NxConfirmation(props: {
  readonly mode: 'vmi' | 'debugger';
  /** The code action's name when it has a log form to bind instead; null when it has none. */
  readonly logForm: string | null;
  onCancel(): void;
  onUseLogForm(): void;
  onConfirm(): void;
}) {
  const words = nxRiskWords(props.mode);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div className="modal-backdrop">
      <div
        className="modal nx-confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="nx-confirm-title"
        data-testid="nx-confirm"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            props.onCancel();
          }
        }}
      >
        <h2 id="nx-confirm-title">This event will most likely crash the target</h2>
        <p data-testid="nx-what">{words.what}</p>
        <p data-testid="nx-why">{words.why}</p>
        <p data-testid="nx-where">
          <strong>{words.where}</strong>
        </p>
        <p data-testid="nx-instead">
          {props.logForm !== null
            ? `Instead, the log form of '${props.logForm}' prints the same record with a script reading the same memory, which runs in HyperDbg's script engine, not as custom code.`
            : words.instead}
        </p>
        <div className="button-row">
          {props.logForm !== null && (
            <button
              type="button"
              className="primary"
              data-testid="nx-use-log-form"
              onClick={props.onUseLogForm}
            >
              Use its log form instead
            </button>
          )}
          <button type="button" ref={cancelRef} data-testid="nx-cancel" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            data-testid="nx-apply-anyway"
            onClick={props.onConfirm}
          >
            Apply anyway
          </button>
        </div>
      </div>
    </div>
  );
}

function ActionSlot(props: {
  readonly label: string;
  readonly kind: 'code' | 'log';
  readonly value: string | null;
  readonly actions: readonly ActionSummary[];
  readonly error?: string;
  readonly missing?: string;
  readonly testId: string;
  onChange(id: string | null): void;
}) {
  const options = props.actions.filter((a) => a.kind === props.kind);
  return (
    <Field label={props.label} error={props.error ?? props.missing}>
      {(id, d, invalid) => (
        <select
          id={id}
          value={props.value ?? ''}
          aria-invalid={invalid}
          aria-describedby={d}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value || null)}
        >
          <option value="">none</option>
          {options.map((a) => (
            <option key={a.id} value={a.id} disabled={props.kind === 'code' && !a.assembled}>
              {a.name}
              {props.kind === 'code' && !a.assembled ? ' (does not assemble)' : ''}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Why a strategy cannot be used with the chosen actions on this target (buffer-records.md §7). */
function deliveryUnavailable(
  hasCode: boolean,
  connected: boolean,
  resolution: { readonly logForm: { readonly payload: unknown } | null } | null,
  debuggerMode = false,
): Partial<Record<'per-event' | 'batched' | 'counted', string>> {
  if (!hasCode)
    return {
      batched: 'needs a code action: batches carry its log form',
      counted: 'needs a code action: its record payload gives the key',
    };
  if (!connected || resolution === null)
    return {
      batched: 'connect first: the log form is read at the target’s offsets',
      counted: 'connect first: the key is read at the target’s offsets',
    };
  if (resolution.logForm === null || resolution.logForm.payload === null)
    return {
      batched: 'the action has no log form to batch',
      counted: 'the action has no log form to take the key from',
    };
  // Batches need the script's own buffer for their counters: no prealloc in Debugger Mode.
  return debuggerMode ? { batched: 'Debugger Mode sends each record at once: no batches' } : {};
}
