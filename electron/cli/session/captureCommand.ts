// `hyperdbg-studio capture`: the session engine without a window. Starts the target (the
// simulator by default), registers the bindings as events, captures for a while, writes every
// record as `parse`'s JSON object, disables its events and lets the target drain, and prints
// `records=N malformed=M rate=R/s lost=L in_flight<=K` (lost from HDBG2 sequence gaps, any
// target), plus `sim_emitted=E sim_dropped=D sim_pending=P` from the simulator's own accounting
// (--stats-file). Custom code on a target that probably runs it from NX memory needs
// --allow-nx-crash. Host side.
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  rmSync,
  type WriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };
import { createStreamHub } from '../../../shared/contract/hub';
import type { EventSource, SessionState } from '../../../shared/contract/session';
import { buildEventCommand } from '../../../shared/hyperdbg/commandBuilder';
import { nxRiskText, runsCustomCode } from '../../../shared/hyperdbg/nxRisk';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { matchEventCommand } from '../../../shared/sessions/actionMatch';
import { LibraryService } from '../../host/library/libraryService';
import { LogService, type RecordSourceResolver } from '../../host/log/logService';
import type {
  IngestedCountTable,
  IngestedRecord,
  MalformedLine,
  RecordSink,
  SessionMark,
} from '../../host/log/sink';
import type { CountTable } from '../../../shared/delivery/countedTable';
import { bindLibraryAction, countTableJson, type ProbeTables } from './captureLibrary';
import { defaultDataDir } from '../../host/paths';
import { importActionsOf } from '../../host/sessions/importActions';
import type { ImportAction } from '../../host/sessions/importer';
import { LIBRARY_DB_FILE } from '../../host/store/libraryStore';
import { META } from '../../host/store/records/sessionMeta';
import { targetModeOf } from '../../host/session/launchPlan';
import { SessionService } from '../../host/session/sessionService';
import {
  CAPTURE_USAGE,
  CaptureUsageError,
  parseCaptureOptions,
  type CaptureOptions,
} from './captureOptions';
import { RecordJsonWriter } from './recordJson';
import { knownBuild } from '../../../shared/model/knownBuilds';
import { loadKnownBuilds } from '../../host/target/knownBuildsFile';
import { batchSizeOf, CaptureLoss, DRAIN_QUIET_MS, readSimTotals } from './captureLoss';

const EXIT_USAGE = 2;
const EXIT_FAILED = 1;
/**
 * Records go to the out file in writes of this many bytes, or after OUT_FLUSH_MS: one write per
 * sink batch (500 records) cost more CPU than parsing them (capture.bench.ts).
 */
const OUT_WRITE_BYTES = 1024 * 1024;
const OUT_FLUSH_MS = 100;
/** How often the capture checks whether the target died (ms). */
const LOST_POLL_MS = 100;

/** Writes each record as a JSON line and counts; never blocks the session (no back-pressure). */
class JsonLinesSink implements RecordSink, ProbeTables {
  written = 0;
  malformedLines = 0;
  private tables = 0;
  private readonly latestTables = new Map<string, CountTable>();
  /** A rate probe's tables by `generation:event`: kept apart from the capture's own. */
  private readonly probes = new Map<string, { total: bigint; at: number } | null>();
  readonly loss = new CaptureLoss();
  private error: Error | null = null;
  private readonly writer: RecordJsonWriter;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly out: WriteStream | null) {
    out?.on('error', (e) => {
      this.error ??= e;
    });
    this.writer = new RecordJsonWriter(OUT_WRITE_BYTES, (chunk) => {
      if (this.out !== null && this.error === null) this.out.write(chunk);
    });
  }

  records(batch: readonly IngestedRecord[]): void {
    this.written += batch.length;
    this.loss.add(batch);
    if (this.out === null || this.error !== null) return;
    for (const r of batch) this.writer.write(r.record);
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), OUT_FLUSH_MS);
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.writer.flush();
  }

  malformed(batch: readonly MalformedLine[]): void {
    this.malformedLines += batch.length;
  }

  /** A table counted in the target: written as its own JSON line, the latest kept per event. */
  countTable(t: IngestedCountTable): void {
    const key = `${t.generation}:${t.table.eventId}`;
    if (this.probes.has(key)) {
      this.probes.set(key, { total: t.table.total, at: Date.now() });
      return;
    }
    this.tables++;
    this.latestTables.set(`${t.generation}:${t.table.eventId}`, t.table);
    if (this.out === null || this.error !== null) return;
    this.writer.flush();
    this.out.write(`${JSON.stringify(countTableJson(t.table))}\n`);
  }

  watch(generation: number, eventId: number): () => { total: bigint; at: number } | null {
    const key = `${generation}:${eventId}`;
    this.probes.set(key, null);
    return () => this.probes.get(key) ?? null;
  }

  /** ` tables=N counted=T`: tables seen and the triggers their latest ones counted. */
  tablesSummary(): string {
    if (this.tables === 0) return '';
    let counted = 0n;
    for (const t of this.latestTables.values()) counted += t.total;
    return ` tables=${this.tables} counted=${counted}`;
  }

  sessionStarted(): void {}
  sessionEnded(): void {}

  get failure(): Error | null {
    return this.error;
  }

  close(): Promise<void> {
    this.flush();
    const out = this.out;
    if (out === null || out.closed) return Promise.resolve();
    return new Promise((resolve) => {
      out.end(() => resolve());
      out.once('error', () => resolve());
    });
  }
}

/** Hands everything to each of its sinks (the out file and the session database). */
class TeeSink implements RecordSink {
  constructor(private readonly sinks: readonly RecordSink[]) {}
  records(batch: readonly IngestedRecord[]): void {
    for (const s of this.sinks) s.records(batch);
  }
  malformed(batch: readonly MalformedLine[]): void {
    for (const s of this.sinks) s.malformed(batch);
  }
  countTable(t: IngestedCountTable): void {
    for (const s of this.sinks) s.countTable?.(t);
  }
  sessionStarted(mark: SessionMark): void {
    for (const s of this.sinks) s.sessionStarted(mark);
  }
  sessionEnded(mark: SessionMark & { readonly reason: string }): void {
    for (const s of this.sinks) s.sessionEnded(mark);
  }
}

/** The data folder's library actions, when it has a library (a capture never creates one). */
async function libraryActions(dataDir: string): Promise<ImportAction[]> {
  if (!existsSync(join(dataDir, LIBRARY_DB_FILE))) return [];
  const library = new LibraryService({ dataDir });
  try {
    return importActionsOf(await library.recordActions());
  } catch {
    return [];
  } finally {
    await library.close();
  }
}

/**
 * Decodes a capture's records like the app does: an event whose command carries a library
 * action's code or script is decoded with that action's schema; others stay hex.
 */
function captureResolver(
  service: SessionService,
  actions: readonly ImportAction[],
): RecordSourceResolver {
  return (generation, eventId) => {
    if (actions.length === 0 || generation !== service.getState().generation) return null;
    const ev = service.listEvents().find((e) => parseInt(e.id, 16) === eventId);
    if (ev === undefined) return null;
    // An `--action` event names its action; others are matched by their code or script.
    const named = actions.find((x) => ev.source?.actionIds.includes(x.id) === true);
    if (named !== undefined)
      return { actionId: named.id, actionName: named.name, schema: named.bufferSchema };
    const returnsBuffers = service.getState().capability?.returnsBuffers ?? null;
    const m = matchEventCommand(ev.command, false, actions, returnsBuffers);
    const a = m.action === null ? undefined : actions.find((x) => x.id === m.action?.id);
    return a === undefined ? null : { actionId: a.id, actionName: a.name, schema: a.bufferSchema };
  };
}

function infoOf(state: SessionState) {
  return {
    targetLabel: state.targetLabel,
    mode: state.mode === 'none' ? null : state.mode,
    capability: state.capability?.capability ?? null,
    cliVersion: state.banner?.version ?? null,
  };
}

function checkBindings(o: CaptureOptions): EventBinding[] | string {
  const mode = targetModeOf(o.profile);
  const out: EventBinding[] = [];
  const errors: string[] = [];
  o.bindings.forEach((b, i) => {
    const r = buildEventCommand(b, mode);
    if (r.ok) out.push(b as EventBinding);
    else for (const e of r.error) errors.push(`binding ${i + 1}: ${e.field}: ${e.message}`);
  });
  return errors.length > 0 ? errors.join('\n') : out;
}

/**
 * Disables every active event, then reads on until the target has gone quiet for
 * DRAIN_QUIET_MS (its rings are empty) or `maxMs` passed. True when it went quiet: nothing the
 * events printed can still arrive, so every gap is a record the target lost.
 */
async function drain(
  service: SessionService,
  sink: JsonLinesSink,
  maxMs: number,
): Promise<boolean> {
  if (maxMs <= 0) return false;
  const until = Date.now() + maxMs;
  try {
    for (const e of service.listEvents())
      if (e.state === 'active') await service.setEventState(e.id, 'disable');
  } catch {
    return false;
  }
  sink.loss.lastAt = Math.max(sink.loss.lastAt, Date.now());
  while (Date.now() < until) {
    if (service.getState().status === 'lost') return false;
    if (Date.now() - sink.loss.lastAt >= DRAIN_QUIET_MS) return true;
    await new Promise((r) => setTimeout(r, DRAIN_QUIET_MS / 6));
  }
  return false;
}

export async function runCapture(argv: readonly string[]): Promise<number> {
  let o: CaptureOptions;
  try {
    o = parseCaptureOptions(argv);
  } catch (e) {
    if (!(e instanceof CaptureUsageError)) throw e;
    process.stderr.write(`hyperdbg-studio capture: ${e.message}\n\n${CAPTURE_USAGE}`);
    return EXIT_USAGE;
  }
  if (o.help) {
    process.stdout.write(CAPTURE_USAGE);
    return 0;
  }
  const bindings = checkBindings(o);
  if (typeof bindings === 'string') {
    process.stderr.write(`${bindings}\n`);
    return EXIT_USAGE;
  }

  const isSimulator = o.profile.cliPath === '';
  const statsDir = isSimulator ? mkdtempSync(join(tmpdir(), 'hds-capture-')) : null;
  const statsFile = statsDir === null ? null : join(statsDir, 'stats.json');
  const out = o.out === null ? null : createWriteStream(o.out);
  const sink = new JsonLinesSink(out);
  const dataDir = o.dataDir ?? defaultDataDir();
  // The capture is a session like an app run's: its database goes to the data folder.
  const osBuild = /^--os-build=(\d+)$/.exec(
    o.simulatorArgs.find((a) => a.startsWith('--os-build=')) ?? '',
  )?.[1];
  const log = o.session
    ? new LogService({
        dataDir,
        hub: createStreamHub(),
        kind: 'capture',
        appVersion: pkg.version,
        meta: osBuild !== undefined ? { [META.osBuild]: osBuild } : {},
      })
    : null;
  const service = new SessionService({
    hub: createStreamHub(),
    dataDir,
    sink: log === null ? sink : new TeeSink([sink, log]),
    transcript: o.transcript,
    recordChannel: o.records,
    // Names the build's release in what `--action` says it resolved for.
    releaseOf: (build) => knownBuild(loadKnownBuilds(), build)?.release ?? null,
  });
  // With --action the library is read once it is bound (a fresh data folder creates it then);
  // no record arrives before any event is applied.
  if (log !== null && o.action === null)
    log.setSourceResolver(captureResolver(service, await libraryActions(dataDir)));
  /** Closes the session database with the commands of its events (`sessions show` lists them). */
  const closeLog = (events: readonly { id: string; command: string }[], generation: number) => {
    if (log === null) return;
    log.addMeta({
      [META.commands]: JSON.stringify(
        Object.fromEntries(events.map((e) => [`${generation}:${parseInt(e.id, 16)}`, e.command])),
      ),
    });
    log.dispose();
  };
  const say = (text: string) => process.stderr.write(`${text}\n`);
  let stopEarly: () => void = () => undefined;
  const onSignal = () => stopEarly();
  process.once('SIGINT', onSignal);
  try {
    const extra = statsFile === null ? [] : [...o.simulatorArgs, '--stats-file', statsFile];
    const state = await service.connect({ profile: o.profile }, extra);
    say(`connected: ${state.targetLabel ?? ''} (${state.mode} mode)`);
    log?.setSessionInfo(infoOf(state));
    say(
      `records: ${state.records.kind === 'forwarded' ? `forwarded (${state.records.transport}, sink ${state.records.sink})` : state.records.kind === 'console' ? `console (${state.records.reason})` : state.records.kind}`,
    );
    for (const n of state.notices) say(`notice: ${n}`);
    /** The `--action` binding's source: the last binding's (the log decodes its records by it). */
    let actionSource: EventSource | undefined;
    if (o.action !== null) {
      const bound = await bindLibraryAction({
        request: o.action,
        dataDir,
        service,
        connection: o.profile.connection,
        tables: sink,
        say,
      });
      if (typeof bound === 'string') {
        say(`hyperdbg-studio capture: --action: ${bound}`);
        await service.disconnect();
        await service.dispose();
        await sink.close();
        closeLog(service.listEvents(), service.getState().generation);
        return EXIT_USAGE;
      }
      bindings.push(bound.binding);
      actionSource = bound.source;
      // The library may have been created just now (a fresh data folder gets the built-ins).
      if (log !== null)
        log.setSourceResolver(captureResolver(service, await libraryActions(dataDir)));
    }
    const risky = bindings.findIndex(runsCustomCode);
    if (state.capability?.customCodeMayFault === true && risky >= 0 && !o.allowNxCrash) {
      say(
        `hyperdbg-studio capture: binding ${risky + 1} has custom or condition code, refused on this target. ${nxRiskText(state.mode === 'debugger' ? 'debugger' : 'vmi')} Pass --allow-nx-crash to apply it anyway.`,
      );
      await service.disconnect();
      await service.dispose();
      await sink.close();
      return EXIT_USAGE;
    }
    for (const [i, b] of bindings.entries()) {
      const source = i === bindings.length - 1 ? actionSource : undefined;
      const ev = await service.applyEvent(b, source, { acceptNxCrash: o.allowNxCrash });
      say(
        `event ${ev.id}: ${ev.command.length > 200 ? `${ev.command.slice(0, 200)}...` : ev.command}`,
      );
    }
    for (const n of service.getState().notices) if (!state.notices.includes(n)) say(`notice: ${n}`);
    const startedAt = Date.now();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        clearInterval(watch);
        resolve();
      };
      const timer = setTimeout(done, o.durationS * 1000);
      // A target that dies ends the capture at once; what it printed is kept.
      const watch = setInterval(() => {
        if (service.getState().status === 'lost') done();
      }, LOST_POLL_MS);
      stopEarly = done;
    });
    // The rate covers the capture window; records still arriving while the target exits count
    // in records= but not in the rate.
    const stoppedAt = Date.now();
    const atStop = sink.written;
    const drained =
      service.getState().status !== 'lost' && (await drain(service, sink, o.drainS * 1000));
    const lostState = service.getState().status === 'lost' ? service.getState().error : null;
    const events = service.listEvents();
    const generation = service.getState().generation;
    await service.disconnect();
    await service.dispose();
    await sink.close();
    closeLog(events, generation);
    if (log !== null) say(`session: ${log.file}`);
    const stats = service.runStats();
    const seconds = Math.max(0.001, (stoppedAt - startedAt) / 1000);
    const malformed = stats?.forwarded.malformed ?? sink.malformedLines;
    let summary = `records=${sink.written} malformed=${malformed} rate=${Math.round(atStop / seconds)}/s ${sink.loss.summary(drained, bindings.map(batchSizeOf))}`;
    if (statsFile !== null) {
      if (o.simStats !== null && existsSync(statsFile)) copyFileSync(statsFile, o.simStats);
      const totals = readSimTotals(statsFile);
      if (typeof totals === 'string') say(totals);
      else
        summary += ` sim_emitted=${totals.emitted} sim_dropped=${totals.dropped} sim_pending=${totals.pending}`;
    }
    summary += sink.tablesSummary();
    if (sink.failure !== null) say(`the output file failed: ${sink.failure.message}`);
    process.stdout.write(`${summary}\n`);
    if (lostState !== null) {
      say(lostState);
      return EXIT_FAILED;
    }
    return sink.failure === null ? 0 : EXIT_FAILED;
  } catch (e) {
    say(`hyperdbg-studio capture: ${e instanceof Error ? e.message : String(e)}`);
    const events = service.listEvents();
    await service.dispose();
    await sink.close();
    closeLog(events, service.getState().generation);
    return EXIT_FAILED;
  } finally {
    process.removeListener('SIGINT', onSignal);
    if (statsDir !== null) rmSync(statsDir, { recursive: true, force: true });
  }
}
