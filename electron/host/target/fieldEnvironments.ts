// Where a target's structure offsets come from: its Windows build (the session's fact) and its
// symbols, asked with `dt nt!_TYPE` through the session and cached for the CLI process; the table
// of known builds otherwise. Builds the FieldEnvironment the assembler resolves names with. Host
// side, over a narrow port into the session.
import type { CommandResult, SessionState } from '../../../shared/contract/session';
import { parseDtListing, type DtStruct } from '../../../shared/hyperdbg/dtListing';
import {
  REFERENCE_BUILD,
  splitFieldPath,
  tableEnvironment,
  type FieldEnvironment,
  type KnownBuilds,
} from '../../../shared/model/knownBuilds';

/** `dt` of one structure answers in well under a second; a slow link may need more. */
const DT_TIMEOUT_MS = 10_000;
/** Structures a path may pass through (`KTHREAD.ApcState.Process` is two). */
const MAX_PATH_DEPTH = 6;

export interface TargetSessionPort {
  state(): SessionState;
  command(line: string, timeoutMs?: number): Promise<CommandResult>;
}

export class FieldEnvironments {
  private cacheGeneration = -1;
  /** Structure name -> its members, or null when dt did not know it. */
  private readonly structs = new Map<string, DtStruct | null>();

  constructor(
    private readonly session: TargetSessionPort,
    private readonly table: KnownBuilds,
  ) {}

  /** The table's environment for a chosen build, without symbols. */
  forBuild(build: number, source = 'chosen'): FieldEnvironment {
    return tableEnvironment(this.table, build, source);
  }

  /** The reference build's environment: what saved bytes use. */
  reference(): FieldEnvironment {
    return {
      ...tableEnvironment(
        this.table,
        REFERENCE_BUILD,
        'the reference build for saved bytes (no target build known)',
      ),
      reference: true,
    };
  }

  /**
   * The connected target's environment for `paths`: its build as the session knows it, and the
   * offsets its symbols give (asked now when `ask`, else only what was asked before).
   */
  async forTarget(paths: readonly string[], ask: boolean): Promise<FieldEnvironment> {
    const s = this.session.state();
    const fact = s.windowsBuild;
    const buildSource =
      s.status !== 'ready'
        ? 'no target is connected'
        : fact.state === 'known'
          ? `the connected target${fact.source === 'probe' ? ' (KUSER_SHARED_DATA.NtBuildNumber)' : ' (its connect line)'}`
          : fact.state === 'detecting'
            ? 'the build probe is still running'
            : (fact.detail ?? 'the build was not detected');
    const symbols = new Map<string, { value: number; detail: string }>();
    const note = this.symbolsNote(s);
    if (note === null) {
      this.sync(s.generation);
      for (const p of paths) {
        const r = await this.resolveBySymbols(p, ask);
        if (r !== null) symbols.set(p, r);
      }
    }
    return {
      build: s.status === 'ready' && fact.state === 'known' ? fact.build : null,
      buildSource,
      symbols,
      symbolsNote: note ?? (symbols.size < paths.length ? 'dt did not give every field' : null),
      table: this.table,
    };
  }

  /** Why symbols cannot be asked now, or null when they can. */
  private symbolsNote(s: SessionState): string | null {
    if (s.status !== 'ready') return 'no target is connected';
    if (s.symbols === 'missing') return 'hyperdbg-cli has no symbol path';
    if (s.mode === 'debugger' && s.debuggee === 'running')
      return 'the debuggee is running, so hyperdbg-cli reads no dt until it pauses';
    return null;
  }

  private sync(generation: number): void {
    if (generation === this.cacheGeneration) return;
    this.cacheGeneration = generation;
    this.structs.clear();
  }

  /** `STRUCT.a.b` by dt: each structure's member offsets added up; null when dt cannot say. */
  private async resolveBySymbols(
    path: string,
    ask: boolean,
  ): Promise<{ value: number; detail: string } | null> {
    const { struct, members } = splitFieldPath(path);
    let type = `_${struct}`;
    let total = 0;
    const asked: string[] = [];
    for (const [i, name] of members.entries()) {
      if (i >= MAX_PATH_DEPTH) return null;
      const s = await this.struct(type, ask);
      if (s === null) return null;
      asked.push(`dt nt!${type}`);
      const m = s.members.find((x) => x.name === name && !x.bitfield);
      if (m === undefined) return null;
      total += m.offset;
      if (i < members.length - 1) {
        if (m.udt === null) return null;
        type = m.udt;
      }
    }
    return { value: total, detail: asked.join(', ') };
  }

  private async struct(type: string, ask: boolean): Promise<DtStruct | null> {
    if (this.structs.has(type)) return this.structs.get(type) ?? null;
    if (!ask) return null;
    let parsed: DtStruct | null;
    try {
      const r = await this.session.command(`dt nt!${type}`, DT_TIMEOUT_MS);
      parsed = parseDtListing(r.lines);
    } catch {
      parsed = null;
    }
    this.structs.set(type, parsed);
    return parsed;
  }
}
