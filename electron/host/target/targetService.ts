// What the connected target means for an action: its structure fields resolved for the target's
// build (symbols first, then the table of known builds), its bytes for that target, its log form
// (the author's, or derived from the code), and a dry run on a synthetic guest of that build
// through the dry-run port. Host side, over narrow ports into the session, the library and the
// simulator program.
import { AppError } from '../../../shared/contract/result';
import type { SessionState } from '../../../shared/contract/session';
import type {
  DryRunInput,
  DryRunReport,
  LogForm,
  ResolvedAction,
  ResolvedCode,
  TargetBuilds,
} from '../../../shared/contract/target';
import { dryRunInputSchema } from '../../../shared/contract/target';
import { payloadToRecordScript } from '../../../shared/hyperdbg/recordScript';
import type { Action } from '../../../shared/model/action';
import type { TargetCapability } from '../../../shared/model/actionTarget';
import type { AssemblyResult, CodeRole } from '../../../shared/model/actionAssembly';
import type { BufferSchema } from '../../../shared/model/bufferSchema';
import type { EventKind } from '../../../shared/model/eventKinds';
import {
  describeEnvironment,
  REFERENCE_BUILD,
  type FieldEnvironment,
  type KnownBuilds,
} from '../../../shared/model/knownBuilds';
import { assembleWith, type AsmContext } from '../asm/asmService';
import { decodeAll } from '../asm/decode';
import { loadEngines, type Engines } from '../asm/engines';
import { deriveLogForm } from '../asm/scriptForm';
import { fieldPathsIn } from '../asm/sourceParser';
import type { DryRunPort } from './dryRunPort';
import { buildDryRunReport } from './dryRunReport';
import { FieldEnvironments, type TargetSessionPort } from './fieldEnvironments';

/** Instructions one sample run may take: as the simulator's own budget (options.ts). */
const DRY_RUN_MAX_INSTRUCTIONS = 1_000_000;

export interface TargetPorts {
  readonly session: TargetSessionPort & {
    /** Runs the build probe; resolves with the state once the build is known or not. */
    detectBuild(): Promise<SessionState>;
  };
  readonly library: { get(id: string): Promise<Action> };
  readonly table: KnownBuilds;
  readonly dryRun: DryRunPort;
}

export class TargetService {
  readonly fields: FieldEnvironments;

  constructor(private readonly ports: TargetPorts) {
    this.fields = new FieldEnvironments(ports.session, ports.table);
  }

  builds(): TargetBuilds {
    const t = this.ports.table;
    return {
      builds: t.builds.map((b) => ({
        build: b.build,
        release: b.release,
        sources: b.sources.map((s) => ({ title: s.title, url: s.url })),
      })),
      fields: [...t.fields].map(([path, description]) => ({ path, description })),
      referenceBuild: REFERENCE_BUILD,
    };
  }

  /**
   * Where the editor's listing resolves fields: a chosen build, else the connected target when
   * its build is known (symbols asked once per structure, in the background of later calls),
   * else the reference build.
   */
  async editorEnvironment(source: string, build?: number): Promise<FieldEnvironment> {
    if (build !== undefined) return this.fields.forBuild(build, 'chosen in the editor');
    const s = this.ports.session.state();
    if (s.status !== 'ready' || s.windowsBuild.state !== 'known') return this.fields.reference();
    return this.fields.forTarget(fieldPathsIn(source), true);
  }

  /**
   * Where binding resolves fields: the connected target (waiting for a probe under way), or a
   * build given explicitly. An unknown build stays unknown: the resolution then says so.
   */
  async bindingEnvironment(paths: readonly string[], build?: number): Promise<FieldEnvironment> {
    const s = this.ports.session.state();
    if (
      build !== undefined &&
      !(s.windowsBuild.state === 'known' && s.windowsBuild.build === build)
    )
      return this.fields.forBuild(build);
    if (s.status === 'ready' && s.windowsBuild.state === 'detecting')
      await this.ports.session.detectBuild().catch(() => undefined);
    return this.fields.forTarget(paths, true);
  }

  async resolveAction(id: string, build?: number): Promise<ResolvedAction> {
    const action = await this.ports.library.get(id);
    if (action.kind !== 'code')
      return {
        actionId: action.id,
        version: action.version,
        resolvedFor: 'no structure fields',
        build: null,
        symbolic: false,
        code: null,
        condition: null,
        logForm: null,
      };
    const paths = [
      ...fieldPathsIn(action.code.source),
      ...fieldPathsIn(action.condition?.source ?? ''),
    ];
    const env = await this.bindingEnvironment(paths, build);
    const engines = await loadEngines();
    const ctx = (role: CodeRole, bufferSize: number): AsmContext => ({
      role,
      eventKind: action.eventKinds[0] ?? null,
      bufferSize,
      target: 'auto',
      fields: env,
    });
    const code = assembleWith(engines, action.code.source, ctx('code', action.bufferSize));
    const condition =
      action.condition === null
        ? null
        : assembleWith(engines, action.condition.source, ctx('condition', 0));
    return {
      actionId: action.id,
      version: action.version,
      resolvedFor: describeEnvironment(env),
      build: env.build,
      symbolic: paths.length > 0,
      code: resolved(code),
      condition: condition === null ? null : resolved(condition),
      logForm: this.logForm(engines, action, code, env),
    };
  }

  /** The author's log form when there is one, else the one derived from the resolved code. */
  private logForm(
    engines: Engines,
    action: Action & { kind: 'code' },
    code: AssemblyResult,
    env: FieldEnvironment,
  ): LogForm {
    if (action.logForm !== undefined)
      return {
        payload: action.logForm,
        script: payloadToRecordScript(action.logForm),
        notes: ['written by the action’s author'],
      };
    if (!code.ok)
      return {
        payload: null,
        reason: 'the code does not resolve for this target, so no log form can be derived',
      };
    if (action.condition !== null)
      return {
        payload: null,
        reason:
          'the action has condition code, which decides per trigger whether to record: a fixed record payload cannot carry that decision (write the log form by hand)',
      };
    return this.derive(
      engines,
      code.bytesHex,
      action.bufferSize,
      action.bufferSchema,
      action.eventKinds[0] ?? null,
      env,
    );
  }

  private derive(
    engines: Engines,
    bytesHex: string,
    bufferSize: number,
    bufferSchema: BufferSchema,
    eventKind: EventKind | null,
    env: FieldEnvironment,
  ): LogForm {
    const decoded = decodeAll(engines.iced, Buffer.from(bytesHex, 'hex'));
    const d = deriveLogForm(decoded, { bufferSize, bufferSchema, eventKind, fields: env });
    return d.ok
      ? { payload: d.payload, script: payloadToRecordScript(d.payload), notes: d.notes }
      : { payload: null, reason: d.reason };
  }

  async dryRun(input: DryRunInput): Promise<DryRunReport> {
    const req = dryRunInputSchema.parse(input);
    let name: string;
    let codeSource: string | null;
    let conditionSource: string | null;
    let bufferSize: number;
    let bufferSchema: BufferSchema;
    if (req.actionId !== undefined) {
      const a = await this.ports.library.get(req.actionId);
      if (a.kind !== 'code')
        throw new AppError(
          'invalid-input',
          `'${a.name}' is a ${a.kind} action: only custom code runs in a dry run`,
          'actionId',
        );
      name = a.name;
      codeSource = a.code.source;
      conditionSource = a.condition?.source ?? null;
      bufferSize = a.bufferSize;
      bufferSchema = a.bufferSchema;
    } else {
      const d = req.draft;
      if (d === undefined)
        throw new AppError('invalid-input', 'give an action or a draft', 'draft');
      name = d.name;
      codeSource = d.code;
      conditionSource = d.condition;
      bufferSize = d.bufferSize;
      bufferSchema = d.bufferSchema;
    }
    if (codeSource === null && conditionSource === null)
      throw new AppError('invalid-input', 'there is no code to run', 'draft');
    const warnings: string[] = [];
    const paths = [...fieldPathsIn(codeSource ?? ''), ...fieldPathsIn(conditionSource ?? '')];
    let env = await this.bindingEnvironment(paths, req.build);
    if (env.build === null) {
      warnings.push(
        `the target's Windows build is not known (${env.buildSource}): this dry run uses the reference build ${REFERENCE_BUILD}; give a build to run on another`,
      );
      env = this.fields.forBuild(REFERENCE_BUILD, 'the reference build (no target build known)');
    }
    const build = env.build ?? REFERENCE_BUILD;
    const engines = await loadEngines();
    const ctx = (role: CodeRole, size: number): AsmContext => ({
      role,
      eventKind: req.eventKind,
      bufferSize: size,
      target: req.target ?? this.capability(),
      fields: env,
    });
    const code =
      codeSource === null ? null : assembleWith(engines, codeSource, ctx('code', bufferSize));
    const condition =
      conditionSource === null ? null : assembleWith(engines, conditionSource, ctx('condition', 0));
    for (const [what, r] of [
      ['code', code],
      ['condition', condition],
    ] as const) {
      if (r === null || r.ok) continue;
      const e = r.diagnostics.find((d) => d.severity === 'error');
      throw new AppError(
        'invalid-input',
        `the ${what} does not assemble for ${describeEnvironment(env)}${e !== undefined ? ` (${e.line !== null ? `line ${e.line}: ` : ''}${e.message})` : ''}: nothing was run`,
        what,
      );
    }
    warnings.push(...this.targetWarnings(code !== null, req.target));
    let raw;
    try {
      raw = await this.ports.dryRun.run({
        build,
        seed: req.seed,
        eventKind: req.eventKind,
        args: req.args,
        samples: req.samples,
        code: code?.bytesHex ?? null,
        condition: condition?.bytesHex ?? null,
        bufferSize,
        maxInstructions: DRY_RUN_MAX_INSTRUCTIONS,
      });
    } catch (e) {
      throw new AppError('unavailable', e instanceof Error ? e.message : String(e));
    }
    return buildDryRunReport({
      actionName: name,
      eventKind: req.eventKind,
      args: req.args,
      resolvedFor: describeEnvironment(env),
      fields: [...(code?.fields ?? []), ...(condition?.fields ?? [])],
      codeListing: code?.listing ?? [],
      conditionListing: condition?.listing ?? [],
      bufferSchema,
      warnings,
      raw,
    });
  }

  private capability(): AsmContext['target'] {
    return this.ports.session.state().capability?.capability ?? 'auto';
  }

  /** What the target changes about the picture: NX code and absent buffers (stock). */
  private targetWarnings(hasCode: boolean, override?: TargetCapability): string[] {
    const c =
      override === undefined || override === 'auto'
        ? this.ports.session.state().capability
        : {
            returnsBuffers: override !== 'stock',
            customCodeMayFault: override === 'stock',
          };
    const out: string[] = [];
    if (c === null || !hasCode) return out;
    if (c.customCodeMayFault)
      out.push(
        'this target is a stock HyperDbg v0.18-v0.23: it allocates custom and condition code in non-executable pool, so on it this code would probably fault at its first instruction, in VMX root, which bug-checks the machine. The run below shows what the code does where it can execute (a patched build, the simulator). Test on a VM first.',
      );
    if (!c.returnsBuffers)
      out.push(
        "this target returns no custom-code buffers: the records below would come only through the action's log form",
      );
    return out;
  }

  dispose(): Promise<void> {
    return this.ports.dryRun.dispose();
  }
}

function resolved(r: AssemblyResult): ResolvedCode {
  return {
    bytesHex: r.ok ? r.bytesHex : null,
    fields: r.fields ?? [],
    errors: r.ok
      ? []
      : r.diagnostics
          .filter((d) => d.severity === 'error')
          .map((d) => (d.line !== null ? `line ${d.line}: ${d.message}` : d.message)),
  };
}
