// Imports a console transcript or a HyperDbg `.logopen` file into a new session database: a scan
// (one streamed pass) finds the CLI processes, the event commands and `events` listings (the
// session's own event registry assigns the ids by the CLI's rule) and matches each event to a
// library action; the import (a second pass) writes every record through the live log's intake,
// decoded with the chosen action's schema. Host side.
import { basename } from 'node:path';
import { createStreamHub } from '../../../shared/contract/hub';
import { AppError } from '../../../shared/contract/result';
import type { ImportEvent, ImportSourceKind } from '../../../shared/contract/sessions';
import type { BannerItem, EventsRowItem } from '../../../shared/hyperdbg/items';
import type { BufferSchema } from '../../../shared/model/bufferSchema';
import { matchEventCommand, type MatchableAction } from '../../../shared/sessions/actionMatch';
import { LogService } from '../log/logService';
import type { IngestedRecord } from '../log/sink';
import { EventRegistry } from '../session/eventRegistry';
import { META } from '../store/records/sessionMeta';
import type { Job } from './jobs';
import { readTranscript, type ReadSummary } from './transcriptReader';

/** A library action as the import matches and decodes with it. */
export interface ImportAction extends MatchableAction {
  readonly bufferSchema: BufferSchema;
}

/** Distinct events counted one by one; more is a hostile file, not a session. */
const MAX_EVENTS = 4096;
/** Records handed to the log's intake per call (its own batches are 500). */
const FEED_BATCH = 500;

interface GenerationState {
  readonly registry: EventRegistry;
  banner: BannerItem | null;
  /** The newest listing row per id (its text may be cut at 70 characters). */
  readonly listed: Map<number, EventsRowItem>;
}

export interface ScanResult {
  readonly summary: ReadSummary;
  readonly records: number;
  readonly malformed: number;
  readonly events: ImportEvent[];
  readonly notes: string[];
  readonly mode: string | null;
  readonly cliVersion: string | null;
}

const key = (generation: number, eventId: number) => `${generation}:${eventId}`;

/** Where the prompt says the CLI was (spec §1.4), in the words the session uses. */
const MODES: Readonly<Record<string, string>> = {
  vmi: 'vmi',
  kernel: 'debugger',
  remote: 'remote',
  user: 'user',
};

/** One streamed pass: what the file holds and which action each event maps to. */
export async function scanImport(
  path: string,
  actions: readonly ImportAction[],
  job: Job,
): Promise<ScanResult> {
  const gens = new Map<number, GenerationState>();
  const counts = new Map<string, number>();
  let records = 0;
  let malformed = 0;
  let overflow = 0;
  let mode: string | null = null;
  let commands = 0;
  let ignoredCommands = 0;
  const gen = (g: number) => {
    let s = gens.get(g);
    if (s === undefined)
      gens.set(g, (s = { registry: new EventRegistry(), banner: null, listed: new Map() }));
    return s;
  };
  const summary = await readTranscript(
    path,
    {
      generation: (g, banner) => {
        gen(g).banner = banner;
      },
      record: (g, r) => {
        records++;
        const k = key(g, r.eventId);
        const n = counts.get(k);
        if (n !== undefined) counts.set(k, n + 1);
        else if (counts.size < MAX_EVENTS) counts.set(k, 1);
        else overflow++;
      },
      malformed: () => {
        malformed++;
      },
      command: (g, line, errors) => {
        // A hostile file of endless event commands must not grow the registry without bound.
        if (commands >= MAX_EVENTS) {
          ignoredCommands++;
          return;
        }
        const v = gen(g).registry.noteEventCommand(line, errors, {
          foreign: true,
          printsRecords: true,
          at: 0,
        });
        if (v.created) commands++;
      },
      listing: (g, rows) => {
        const s = gen(g);
        s.registry.applyListing(rows, 0);
        for (const r of rows) s.listed.set(r.id, r);
      },
      prompt: (p) => {
        mode = MODES[p.mode] ?? mode;
      },
    },
    { check: () => job.check(), progress: (done, of) => job.progress(done, of) },
  );
  if (summary.signs === 0)
    throw new AppError(
      'invalid-input',
      `${path} holds no HyperDbg console output (no prompt, banner, record line or events listing): not a transcript or .logopen file`,
      'path',
    );
  const events: ImportEvent[] = [];
  const seen = new Set<string>();
  const add = (g: number, eventId: number) => {
    const k = key(g, eventId);
    if (seen.has(k) || events.length >= MAX_EVENTS) return;
    seen.add(k);
    const s = gen(g);
    const info = s.registry.get(eventId);
    const row = s.listed.get(eventId);
    // A command seen typed in full beats the listing's (possibly cut) text.
    const full = info !== undefined && !info.foreign ? info.command : null;
    const typed = info !== undefined && info.command !== info.listed ? info.command : null;
    const command = typed ?? full ?? info?.listed ?? row?.command ?? null;
    const truncated =
      command !== null && typed === null && (row?.truncated ?? command.endsWith('...'));
    const returnsBuffers = s.banner === null ? null : s.banner.simulator;
    const m =
      command === null
        ? {
            action: null,
            how: 'its command is not in the file (created before the file starts); choose an action',
          }
        : matchEventCommand(command, truncated, actions, returnsBuffers);
    events.push({
      generation: g,
      eventId,
      records: counts.get(k) ?? 0,
      command,
      commandTruncated: truncated,
      actionId: m.action?.id ?? null,
      actionName: m.action?.name ?? null,
      match: m.how,
    });
  };
  const keys = [...counts.keys()].map((k) => k.split(':').map(Number) as [number, number]);
  for (const [g, id] of keys) add(g, id);
  for (const [g, s] of gens) for (const e of s.registry.list()) add(g, parseInt(e.id, 16));
  events.sort((a, b) => a.generation - b.generation || a.eventId - b.eventId);
  const notes: string[] = [];
  const unmapped = events.filter((e) => e.records > 0 && e.actionId === null);
  for (const e of unmapped)
    notes.push(
      `event ${e.eventId.toString(16)}${e.generation > 1 ? ` (run ${e.generation})` : ''}: ${e.records} records stay hex: ${e.match}`,
    );
  if (overflow > 0)
    notes.push(
      `${overflow} records belong to events beyond the first ${MAX_EVENTS}; they stay hex`,
    );
  if (ignoredCommands > 0)
    notes.push(
      `${ignoredCommands} event commands after the first ${MAX_EVENTS} were not read; their events' records stay hex`,
    );
  if (malformed > 0)
    notes.push(
      `${malformed} lines looked like records but were not; they are kept as malformed lines`,
    );
  const banner = [...gens.values()].find((s) => s.banner !== null)?.banner ?? null;
  return {
    summary,
    records,
    malformed,
    events,
    notes,
    mode,
    cliVersion: banner === null ? null : banner.version,
  };
}

export interface ImportOptions {
  readonly path: string;
  /** The name the user knows the file by (an upload's original name). */
  readonly fileName: string;
  readonly dataDir: string;
  readonly appVersion: string;
  readonly label?: string;
  readonly actions: readonly ImportAction[];
  /** The scan of the same file, with the user's choices applied. */
  readonly scan: ScanResult;
  readonly choices: ReadonlyMap<string, string | null>;
  readonly job: Job;
  /** The file's modification time (ms), the last resort for when it was written. */
  readonly modifiedAt: number | null;
}

/** An app transcript's name starts with its CLI's start time: `2025-01-02T03-04-05-678Z-g1.log`. */
const TRANSCRIPT_STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-g\d+\.log$/;

/** The best time the file gives for its records, and what it is. */
function sourceTime(
  fileName: string,
  loggedAt: number | null,
  modifiedAt: number | null,
): { at: number; what: string } {
  if (loggedAt !== null) return { at: loggedAt, what: "the .logopen file's own time stamp" };
  const m = TRANSCRIPT_STAMP.exec(basename(fileName));
  if (m !== null) {
    const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
    if (Number.isFinite(t)) return { at: t, what: 'the start time in the transcript’s name' };
  }
  if (modifiedAt !== null) return { at: modifiedAt, what: 'the file’s modification time' };
  return { at: Date.now(), what: 'the time of the import' };
}

export interface ImportOutcome {
  readonly file: string;
  readonly records: number;
  readonly malformed: number;
  readonly events: ImportEvent[];
  readonly notes: string[];
}

/**
 * The second pass: a new session database with every record of the file, each event decoded
 * with its chosen action. A cancelled or failed import removes the half-written session.
 */
export async function runImport(o: ImportOptions): Promise<ImportOutcome> {
  const byId = new Map(o.actions.map((a) => [a.id, a]));
  const events = o.scan.events.map((e) => {
    const k = key(e.generation, e.eventId);
    if (!o.choices.has(k)) return e;
    const chosen = o.choices.get(k) ?? null;
    const a = chosen === null ? undefined : byId.get(chosen);
    if (chosen !== null && a === undefined)
      throw new AppError(
        'not-found',
        `no library action ${chosen} for event ${e.eventId.toString(16)}`,
        'mapping',
      );
    return {
      ...e,
      actionId: a?.id ?? null,
      actionName: a?.name ?? null,
      match: a === undefined ? 'left as hex by choice' : 'chosen at import',
    };
  });
  const sourceOf = new Map<string, ImportAction>();
  for (const e of events) {
    const a = e.actionId === null ? undefined : byId.get(e.actionId);
    if (a !== undefined) sourceOf.set(key(e.generation, e.eventId), a);
  }
  const kind: ImportSourceKind = o.scan.summary.kind;
  const when = sourceTime(o.fileName, o.scan.summary.loggedAt, o.modifiedAt);
  const at = when.at;
  const label =
    o.label !== undefined && o.label.trim() !== '' ? o.label.trim() : `Imported ${o.fileName}`;
  const notes = [
    ...events
      .filter((e) => e.records > 0 && e.actionId === null)
      .map(
        (e) =>
          `event ${e.eventId.toString(16)}${e.generation > 1 ? ` (run ${e.generation})` : ''}: ${e.records} records stay hex: ${e.match}`,
      ),
    ...o.scan.notes.filter((n) => !n.startsWith('event ')),
    `record times are not in the file: every record carries ${when.what}`,
  ];
  const commands: Record<string, string> = {};
  for (const e of events)
    if (e.command !== null) commands[key(e.generation, e.eventId)] = e.command;
  const log = new LogService({
    dataDir: o.dataDir,
    hub: createStreamHub(),
    appVersion: o.appVersion,
    kind: 'import',
    resolveSource: (generation, eventId) => {
      const a = sourceOf.get(key(generation, eventId));
      return a === undefined
        ? null
        : { actionId: a.id, actionName: a.name, schema: a.bufferSchema };
    },
    meta: {
      [META.importedFrom]: basename(o.fileName).slice(0, 255),
      [META.importedBytes]: String(o.scan.summary.bytes),
      [META.importKind]: kind,
      [META.startedAt]: String(at),
      [META.targetLabel]: label.slice(0, 200),
      ...(o.scan.mode !== null ? { [META.mode]: o.scan.mode } : {}),
      ...(o.scan.cliVersion !== null ? { [META.cliVersion]: o.scan.cliVersion } : {}),
      [META.notes]: JSON.stringify(notes.slice(0, 200)),
      [META.commands]: JSON.stringify(commands),
    },
  });
  let batch: IngestedRecord[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    log.records(batch);
    batch = [];
  };
  let started = 0;
  try {
    await readTranscript(
      o.path,
      {
        generation: (g) => {
          flush();
          if (started > 0)
            log.sessionEnded({ generation: started, at, targetLabel: label, reason: 'imported' });
          started = g;
          log.sessionStarted({ generation: g, at, targetLabel: label });
        },
        record: (g, r) => {
          batch.push({ receivedAt: at, generation: g, record: r });
          if (batch.length >= FEED_BATCH) flush();
        },
        malformed: (g, text, reason) => {
          flush();
          log.malformed([{ receivedAt: at, generation: g, text, reason }]);
        },
        countTable: (g, table) => {
          flush();
          log.countTable({ receivedAt: at, generation: g, table });
        },
      },
      {
        check: () => o.job.check(),
        progress: (done, of) => o.job.progress(done, of),
      },
    );
    flush();
    log.sessionEnded({
      generation: started,
      at,
      targetLabel: label,
      reason: `imported from ${o.fileName}`,
    });
    log.flush();
    const stats = log.getStats();
    if (stats.lost > 0 || stats.storeError !== null)
      throw new AppError(
        'internal',
        `the import could not store everything: ${stats.storeError ?? `${stats.lost} lost`}`,
      );
    const file = log.file;
    log.dispose({ [META.endedAt]: String(at) });
    return { file, records: stats.total, malformed: stats.malformed, events, notes };
  } catch (e) {
    log.discard();
    throw e;
  }
}
