// The event binder's form and what it becomes: one HyperDbg event binding (kind, arguments,
// filters, a condition, at most one code action and one log action sharing one buffer) plus its
// provenance, and the builder's errors mapped back onto the form fields. A code action binds with
// the bytes resolved for the target (its named structure fields), or as its own log form on a
// target that returns no buffers. Pure (unit-tested).
import { countedTableScript } from '../../../shared/delivery/countedTable';
import type { DeliveryStrategy } from '../../../shared/delivery/deliveryPlan';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { eventKindInfo, type EventKind, type EventStage } from '../../../shared/model/eventCatalog';
import type { Action } from '../../../shared/model/action';
import type { ResolvedAction } from '../../../shared/contract/target';
import {
  buildFromBinding,
  type FieldError,
  type TargetMode,
} from '../../../shared/hyperdbg/commandBuilder';
import { eventsListingText } from '../../../shared/hyperdbg/cliLine';
import type { SymbolState } from '../../../shared/contract/session';
import { payloadToBatchScript, SEQUENCE_BUFFER_BYTES } from '../../../shared/hyperdbg/recordScript';
import { deliveryPlan, type DeliveryPlan } from './delivery';

/** A `module!name` address (`nt!NtCreateFile`, `nt!NtCreateFile+0x10`): resolved through PDBs. */
const SYMBOLIC_ADDRESS_RE = /^[A-Za-z_][\w.]*!/;

/** Shown where a symbolic address cannot resolve: HyperDbg has no symbol path. */
export const SYMBOLS_MISSING_ERROR =
  'HyperDbg has no symbol path, so this name cannot resolve: give a hex address, or set the path in the console with .sympath "SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols" then .sym download';
/** The path is set but the PDBs were not loaded since. */
export const SYMBOLS_NOT_RELOADED_WARNING =
  'the symbol path is set but the PDBs are not loaded yet: run .sym download in the console first, or this name will not resolve';

export interface BinderForm {
  readonly kind: EventKind;
  /** One text per catalog argument, as typed (`!monitor`'s end may be `l 1000`). */
  readonly args: readonly string[];
  readonly pid: string;
  readonly core: string;
  readonly stage: '' | EventStage;
  readonly sc: '' | 'on' | 'off';
  readonly imm: '' | 'yes' | 'no';
  /** Output sink names, comma-separated. */
  readonly output: string;
  readonly codeActionId: string | null;
  readonly logActionId: string | null;
  /** The code action whose condition code gates the event, or null. */
  readonly conditionActionId: string | null;
  /** Hex; empty = the largest buffer the chosen actions ask for. */
  readonly buffer: string;
  /**
   * Bind the code action as its log form (a script printing the same record: the author's, or
   * derived from its code), for targets whose custom code returns no buffers.
   */
  readonly useLogForm: boolean;
  /**
   * How records leave the target (the delivery plan, shared/delivery/deliveryPlan.ts). `counted`
   * binds the code action's record payload as a table counted in the target (§7 of
   * buffer-records.md) instead of its code or log form; `table` names its globals and period.
   * `batched` prints the log form K records per packet (buffer-records §2b).
   */
  readonly delivery?: DeliveryStrategy;
  readonly table?: { readonly tag: string; readonly periodTriggers: number };
  /** Batched: records per packet as typed; empty = chosen from the observed event rate. */
  readonly batchSize: string;
  /** Names this binding's batch globals apart from other events' (globals outlive events). */
  readonly batchTag: string;
}

/** A fresh tag for a batch's globals: a letter and two base-36 digits. */
export function newBatchTag(): string {
  const n = Math.floor(Math.random() * 36 * 36);
  return `b${n.toString(36).padStart(2, '0')}`;
}

/** What the binder knows of a code action's resolution for the target. */
export type Resolution = ResolvedAction | 'pending';

export function emptyBinderForm(kind: EventKind = '!syscall'): BinderForm {
  return {
    kind,
    args: eventKindInfo(kind).args.map(() => ''),
    pid: '',
    core: '',
    stage: '',
    sc: '',
    imm: '',
    output: '',
    codeActionId: null,
    logActionId: null,
    conditionActionId: null,
    buffer: '',
    useLogForm: false,
    delivery: 'per-event',
    batchSize: '',
    batchTag: newBatchTag(),
  };
}

/** Switching kind keeps the filters and actions; arguments start over (they differ per kind). */
export function withKind(f: BinderForm, kind: EventKind): BinderForm {
  const info = eventKindInfo(kind);
  return {
    ...f,
    kind,
    args: info.args.map(() => ''),
    stage: f.stage !== '' && !info.stages.includes(f.stage) ? '' : f.stage,
  };
}

/** Puts actions the library asked to bind into the slots their kind fits. */
export function withActions(f: BinderForm, actions: readonly Action[]): BinderForm {
  let next: BinderForm = { ...f, useLogForm: false };
  for (const a of actions) {
    if (a.kind === 'code')
      next = {
        ...next,
        codeActionId: a.id,
        conditionActionId: a.condition !== null ? a.id : next.conditionActionId,
      };
    else if (a.kind === 'log') next = { ...next, logActionId: a.id };
  }
  const first = actions.find((a) => a.eventKinds.length > 0);
  const kind = first?.eventKinds[0];
  return kind !== undefined && kind !== next.kind ? withKind(next, kind) : next;
}

/** Where a form error shows: `args.<i>`, `pid`, `buffer`, `code`, `log`, `condition`, ... */
export type BinderErrors = Readonly<Record<string, string>>;

export interface BinderResult {
  readonly binding: EventBinding | null;
  /** Waiting for something before the line can be built (the code's resolution for the target). */
  readonly pending: string | null;
  readonly line: string | null;
  readonly listed: string | null;
  readonly warnings: readonly string[];
  readonly errors: BinderErrors;
  readonly source: {
    readonly actionIds: string[];
    readonly actionNames: string[];
    readonly versionHashes: string[];
  };
  /** The buffer the event gets (bytes), 0 for none. */
  readonly bufferBytes: number;
  /** The log form's delivery, when the event is bound as one. */
  readonly plan: (DeliveryPlan & { readonly payloadLength: number }) | null;
}

/**
 * The binding and its command line in `mode`, or what is wrong, by form field. `actions` holds
 * the chosen actions as the library has them; `hashes` their current version's hash (by id).
 */
export function bindingFromForm(
  f: BinderForm,
  actions: ReadonlyMap<string, Action>,
  hashes: ReadonlyMap<string, string>,
  mode: TargetMode,
  symbols: SymbolState = 'unknown',
  /** Code actions resolved for the target, by id; undefined = bind the stored bytes as they are. */
  resolved?: ReadonlyMap<string, Resolution>,
  /** Records/s the event is observed to fire (chooses a batch's K), 0 when not known. */
  observedRate = 0,
): BinderResult {
  let plan: BinderResult['plan'] = null;
  const errors: Record<string, string> = {};
  const symbolWarnings: string[] = [];
  let pending: string | null = null;
  const code = f.codeActionId !== null ? actions.get(f.codeActionId) : undefined;
  const log = f.logActionId !== null ? actions.get(f.logActionId) : undefined;
  const cond = f.conditionActionId !== null ? actions.get(f.conditionActionId) : undefined;
  if (f.codeActionId !== null && code?.kind !== 'code') errors.code = 'choose a custom-code action';
  if (f.logActionId !== null && log?.kind !== 'log') errors.log = 'choose a log action';
  if (code?.kind === 'code' && code.code.bytesHex === null)
    errors.code = `'${code.name}' does not assemble: fix it in the editor first`;
  /** The action's resolution for this version, 'pending' while it is asked, null without one. */
  const resolutionOf = (a: Action): ResolvedAction | 'pending' | null => {
    if (resolved === undefined) return null;
    const r = resolved.get(a.id);
    if (r === undefined || r === 'pending' || r.version !== a.version) return 'pending';
    return r;
  };
  let codeHex: string | null = code?.kind === 'code' ? code.code.bytesHex : null;
  let logFormScript: string | null = null;
  if (code?.kind === 'code' && errors.code === undefined) {
    const r = resolutionOf(code);
    if (r === 'pending') pending = `resolving '${code.name}' for the target…`;
    else if (r !== null) {
      if (r.code?.bytesHex == null)
        errors.code = `'${code.name}' cannot be bound to this target: ${r.code?.errors.join('; ') || 'it does not resolve'}`;
      else codeHex = r.code.bytesHex;
      if (f.useLogForm || f.delivery === 'counted') {
        if (r.logForm === null || r.logForm.payload === null)
          errors.code = `'${code.name}' has no log form${f.delivery === 'counted' ? ' to count by' : ''}: ${r.logForm?.payload === null ? r.logForm.reason : 'it is not custom code'}`;
        else if (f.delivery === 'counted')
          // Counted in the target: the payload's first word is the key (buffer-records.md §7).
          logFormScript = countedTableScript({
            payload: r.logForm.payload,
            tag: f.table?.tag ?? 'a',
            periodTriggers: f.table?.periodTriggers,
          });
        else {
          const payload = r.logForm.payload;
          // Debugger Mode sends each record at once (no batches); its buffer for the counters
          // comes from `prealloc`, which Apply sends first (sessionEvents.ts).
          const delivery =
            f.delivery === 'batched' && mode !== 'debugger' ? 'batched' : 'per-event';
          const p = deliveryPlan(delivery, f.batchSize, observedRate, payload.length);
          if (p.error !== null) errors.batchSize = p.error;
          plan = { ...p, payloadLength: payload.length };
          logFormScript =
            p.delivery === 'batched'
              ? payloadToBatchScript(payload, p.k, f.batchTag)
              : r.logForm.script;
        }
      }
    }
  }
  if (f.delivery === 'counted' && code?.kind !== 'code')
    errors.log =
      'counting in the target needs a code action whose record payload gives the key (its log form)';
  else if (f.delivery === 'counted' && resolved === undefined)
    errors.code = 'counting in the target needs a connected target to resolve the key';
  if ((f.useLogForm || f.delivery === 'counted') && log !== undefined)
    errors.log =
      "an event carries one script: the log action or the code action's log form, not both";
  let conditionHex: string | undefined;
  if (cond !== undefined) {
    if (cond.kind !== 'code' || cond.condition === null)
      errors.condition = 'this action has no condition code';
    else if (cond.condition.bytesHex === null)
      errors.condition = `the condition of '${cond.name}' does not assemble`;
    else {
      conditionHex = cond.condition.bytesHex;
      const r = resolutionOf(cond);
      if (r === 'pending') pending ??= `resolving '${cond.name}' for the target…`;
      else if (r !== null) {
        if (r.condition?.bytesHex == null)
          errors.condition = `the condition of '${cond.name}' cannot be bound to this target: ${r.condition?.errors.join('; ') || 'it does not resolve'}`;
        else conditionHex = r.condition.bytesHex;
      }
    }
  }

  const { args, owner } = argTokens(f);
  args.forEach((token, i) => {
    if (!SYMBOLIC_ADDRESS_RE.test(token)) return;
    if (symbols === 'missing') errors[`args.${owner[i] ?? 0}`] ??= SYMBOLS_MISSING_ERROR;
    else if (symbols === 'path-set' && symbolWarnings.length === 0)
      symbolWarnings.push(`${token}: ${SYMBOLS_NOT_RELOADED_WARNING}`);
  });

  /** The log form numbers its records in its own buffer (not counted tables). */
  const sequenced = logFormScript !== null && f.delivery !== 'counted';
  const bufferWanted = Math.max(
    code?.kind === 'code' && logFormScript === null ? code.bufferSize : 0,
    log?.kind === 'log' ? log.bufferSize : 0,
    // The log form counts its records per core in its own buffer (buffer-records §2a).
    sequenced ? SEQUENCE_BUFFER_BYTES : 0,
  );
  const bufferText =
    f.buffer.trim() !== ''
      ? f.buffer.trim().replace(/^0x/i, '')
      : bufferWanted > 0
        ? bufferWanted.toString(16)
        : '';
  const output = f.output
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

  const binding: EventBinding = {
    kind: f.kind,
    ...(args.length > 0 ? { args } : {}),
    ...(f.pid.trim() !== '' ? { pid: f.pid.trim() } : {}),
    ...(f.core.trim() !== '' ? { core: f.core.trim() } : {}),
    ...(f.stage !== '' ? { stage: f.stage } : {}),
    ...(f.sc !== '' ? { sc: f.sc } : {}),
    ...(f.imm !== '' ? { imm: f.imm } : {}),
    ...(output.length > 0 ? { output } : {}),
    ...(bufferText !== '' ? { buffer: bufferText } : {}),
    ...(conditionHex !== undefined ? { condition: conditionHex } : {}),
    ...(code?.kind === 'code' && codeHex !== null && logFormScript === null
      ? { code: codeHex }
      : {}),
    ...(logFormScript !== null ? { script: logFormScript } : {}),
    ...(log?.kind === 'log' && logFormScript === null ? { script: log.script } : {}),
  };

  const chosen = [cond, code, log].filter(
    (a, i, all): a is Action => a !== undefined && all.indexOf(a) === i,
  );
  const source = {
    actionIds: chosen.map((a) => a.id),
    actionNames: chosen.map((a) => a.name),
    versionHashes: chosen.map((a) => hashes.get(a.id) ?? `v${a.version}`),
  };
  const bufferBytes = /^[0-9a-f]{1,3}$/i.test(bufferText) ? Number.parseInt(bufferText, 16) : 0;
  if (sequenced && bufferBytes < SEQUENCE_BUFFER_BYTES)
    errors.buffer ??= `the log form keeps a record count per core in its buffer: at least ${SEQUENCE_BUFFER_BYTES.toString(16)} (hex)`;

  const built = buildFromBinding(binding, mode);
  if (!built.ok) for (const e of built.error) errors[formField(e, owner)] ??= e.message;
  if (Object.keys(errors).length > 0 || !built.ok || pending !== null)
    return {
      binding: null,
      pending: Object.keys(errors).length > 0 ? null : pending,
      line: null,
      listed: null,
      warnings: [],
      errors,
      source,
      bufferBytes,
      plan,
    };
  return {
    binding,
    pending: null,
    line: built.value.line,
    listed: eventsListingText(built.value.line),
    warnings: [...built.value.warnings, ...symbolWarnings],
    errors,
    source,
    bufferBytes,
    plan,
  };
}

/** The argument tokens (non-empty inputs in order) and which input each token came from. */
export function argTokens(f: BinderForm): { args: string[]; owner: number[] } {
  const args: string[] = [];
  const owner: number[] = [];
  eventKindInfo(f.kind).args.forEach((slot, i) => {
    const text = (f.args[i] ?? '').trim();
    if (text === '') return;
    const tokens = slot.grammar.type === 'range-end' ? text.split(/\s+/) : [text];
    for (const t of tokens) {
      args.push(t);
      owner.push(i);
    }
  });
  return { args, owner };
}

/**
 * The field a CLI refusal concerns, from the value it quotes: hyperdbg-cli names the token it
 * could not use (`couldn't resolve error at 'nt!Foo'`, spec §3.1), so a quoted token equal to
 * an argument, the pid or the core points at that field. `form` when nothing matches.
 */
export function fieldOfCliError(message: string, f: BinderForm): string {
  // ValidateEvents.c refuses a pid other than the halted process's in Debugger Mode.
  if (message.includes('you cannot specify process id')) return 'pid';
  const quoted = [...message.matchAll(/(?:^|\s)'([^'\n]{1,200})'/g)].map((m) =>
    (m[1] as string).toLowerCase(),
  );
  if (quoted.length === 0) return 'form';
  const { args, owner } = argTokens(f);
  for (let i = 0; i < args.length; i++)
    if (quoted.includes((args[i] as string).toLowerCase())) return `args.${owner[i] ?? 0}`;
  if (f.pid.trim() !== '' && quoted.includes(f.pid.trim().toLowerCase())) return 'pid';
  if (f.core.trim() !== '' && quoted.includes(f.core.trim().toLowerCase())) return 'core';
  return 'form';
}

/** The form field a builder (or CLI) error concerns. */
export function formField(e: FieldError, owner: readonly number[]): string {
  const m = /^args\[(\d+)\]$/.exec(e.field);
  if (m !== null) {
    const token = Number(m[1]);
    const input = owner[token] ?? (owner.length > 0 ? (owner[owner.length - 1] as number) + 1 : 0);
    return `args.${input}`;
  }
  if (e.field.startsWith('output')) return 'output';
  if (e.field === 'script') return 'log';
  if (e.field === 'binding') return 'form';
  return e.field;
}

/** The host answers with a field such as `binding.buffer`; map it like a builder error. */
export function fieldOfHostError(field: string | undefined): string {
  if (field === undefined) return 'form';
  const f = field.replace(/^binding\./, '').replace(/\.(\d+)$/, '[$1]');
  return formField({ field: f, message: '' }, []);
}
