// `hyperdbg-studio sessions list|show|export|delete|import|retention`: the sessions of a data
// folder from the command line, through the same service as the app's Sessions view (read-only
// opening, the live log's export, the import of transcripts and `.logopen` files, retention).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createStreamHub } from '../../../shared/contract/hub';
import { AppError } from '../../../shared/contract/result';
import type {
  ImportEvent,
  RetentionPolicy,
  SessionDetail,
  SessionSummary,
} from '../../../shared/contract/sessions';
import { MAX_KEEP_DAYS, MAX_KEEP_MIB, MAX_KEEP_SESSIONS } from '../../../shared/contract/sessions';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/log/exportFormat';
import { logFilterSchema, type LogFilter } from '../../../shared/log/logFilter';
import { LibraryService } from '../../host/library/libraryService';
import { defaultDataDir } from '../../host/paths';
import { importActionsOf } from '../../host/sessions/importActions';
import { Jobs } from '../../host/sessions/jobs';
import { SessionsService } from '../../host/sessions/sessionsService';
import { EXIT_INPUT, EXIT_UNAVAILABLE, UsageError } from '../library/cliSupport';

const USAGE = `usage: hyperdbg-studio sessions <command> [options] [--data-dir DIR] [--json]
  list                                  every session: start, end, target, mode, records, lost
                                        in the target, not stored, malformed, size, state
  show ID                               one session: records delivered and lost in the target
                                        (per event and core, from sequence gaps), count tables
                                        kept in the target, actions, marks, transcripts
  export ID --format csv|jsonl --out FILE [--filter JSON] [--overwrite]
                                        its records (matching the filter) to a file; Ctrl+C
                                        cancels and removes the partial file
  delete ID...                          deletes sessions (never a running or open one)
  import FILE [--map EVENT=ACTION]... [--label TEXT] [--dry-run]
                                        a console transcript, a HyperDbg .logopen file or a
                                        session database from another machine, as a new session;
                                        events are matched to library actions by their commands;
                                        --map 3=NAME|ID (or RUN:EVENT=...) chooses, =hex keeps hex
  retention [--keep-sessions N|off] [--keep-days N|off] [--max-size MIB|off]
                                        shows, or sets and applies, the retention policy
  ID is a session id, a unique start of one, or 'latest'.
  --data-dir DIR                        where the data lives (default: the app's data folder)
`;

const EXIT_CANCELLED = 130;

const KIND_WORDS = {
  transcript: 'a console transcript',
  logopen: 'a HyperDbg .logopen file',
  session: 'a session database',
} as const;

const out = (s: string) => process.stdout.write(s);
const err = (s: string) => process.stderr.write(s);

function fmtTime(ms: number | null): string {
  if (ms === null) return '-';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Columns padded to one width; those in `right` (numbers) aligned right. */
function table(
  rows: readonly (readonly string[])[],
  right: ReadonlySet<number> = new Set(),
): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) =>
          right.has(c)
            ? cell.padStart(widths[c] ?? 0)
            : c === r.length - 1
              ? cell
              : cell.padEnd(widths[c] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function stateOf(s: SessionSummary): string {
  if (s.problem !== null) return 'unreadable';
  return `${s.state}${s.live ? ' (this app)' : ''}`;
}

function progressPrinter(): (text: string, done: boolean) => void {
  const tty = process.stderr.isTTY === true;
  let last = '';
  return (text, done) => {
    if (tty) err(`\r${text}${done ? '\n' : ''}`);
    else if (text !== last && done) err(`${text}\n`);
    last = text;
  };
}

/** `--map 3=NAME`, `--map 2:3=ID`, `--map 3=hex`. */
function parseMapping(
  specs: readonly string[],
  actions: readonly { id: string; name: string }[],
): { generation: number; eventId: number; actionId: string | null }[] {
  return specs.map((spec) => {
    const m = /^(?:(\d+):)?([0-9a-fA-F]{1,8})=(.+)$/.exec(spec);
    if (m === null)
      throw new UsageError(`--map ${spec}: write EVENT=ACTION (event id in hex, e.g. 3=NAME)`);
    const generation = m[1] === undefined ? 1 : Number(m[1]);
    const eventId = Number.parseInt(m[2] as string, 16);
    const want = (m[3] as string).trim();
    if (want.toLowerCase() === 'hex') return { generation, eventId, actionId: null };
    const a =
      actions.find((x) => x.id === want) ??
      actions.find((x) => x.name.toLowerCase() === want.toLowerCase());
    if (a === undefined)
      throw new UsageError(`--map ${spec}: no action with that name or id decodes records`);
    return { generation, eventId, actionId: a.id };
  });
}

function describeEvents(events: readonly ImportEvent[]): string {
  return events
    .map(
      (e) =>
        `  event ${e.eventId.toString(16)}${e.generation > 1 ? ` (run ${e.generation})` : ''}: ${e.records} records -> ${e.actionName ?? 'hex'} (${e.match})${e.command !== null ? `\n      ${e.command.length > 120 ? `${e.command.slice(0, 120)}...` : e.command}` : ''}`,
    )
    .join('\n');
}

function parseLimit(name: string, v: string | undefined, max: number): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === 'off' || v === 'none') return null;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max)
    throw new UsageError(`--${name}: a whole number from 1 to ${max}, or off`);
  return Number(v);
}

export async function runSessions(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        format: { type: 'string' },
        out: { type: 'string' },
        filter: { type: 'string' },
        overwrite: { type: 'boolean', default: false },
        map: { type: 'string', multiple: true },
        label: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'keep-sessions': { type: 'string' },
        'keep-days': { type: 'string' },
        'max-size': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    err(`hyperdbg-studio sessions: ${(e as Error).message}\n\n${USAGE}`);
    return EXIT_INPUT;
  }
  const { values, positionals } = parsed;
  const [sub, ...args] = positionals;
  if (values.help || sub === undefined) {
    (values.help ? process.stdout : process.stderr).write(USAGE);
    return values.help ? 0 : EXIT_INPUT;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const hub = createStreamHub();
  const jobs = new Jobs(hub);
  let library: LibraryService | null = null;
  const sessions = new SessionsService({
    dataDir,
    hub,
    jobs,
    appVersion: 'cli',
    live: () => null,
    importActions: async () => {
      library ??= new LibraryService({ dataDir, generator: 'HyperDbg Studio CLI' });
      return importActionsOf(await library.recordActions());
    },
  });
  try {
    switch (sub) {
      case 'list':
        return list(sessions, values.json);
      case 'show':
        return await show(sessions, args, values.json);
      case 'export':
        return await exportSession(sessions, hub, jobs, args, values);
      case 'delete':
        return remove(sessions, args, values.json);
      case 'import':
        return await importFile(sessions, hub, jobs, args, values);
      case 'retention':
        return retention(sessions, values);
      default:
        throw new UsageError(`unknown command '${sub}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`hyperdbg-studio sessions: ${e.message}\n\n${USAGE}`);
      return EXIT_INPUT;
    }
    if (e instanceof AppError) {
      err(`hyperdbg-studio sessions: ${e.message}\n`);
      if (e.code === 'cancelled') return EXIT_CANCELLED;
      return e.code === 'unavailable' || e.code === 'internal' ? EXIT_UNAVAILABLE : EXIT_INPUT;
    }
    throw e;
  } finally {
    sessions.dispose();
    if (library !== null) await (library as LibraryService).close();
  }
}

function list(sessions: SessionsService, json: boolean): number {
  const l = sessions.list();
  if (json) {
    out(`${JSON.stringify(l, null, 2)}\n`);
    return 0;
  }
  if (l.sessions.length === 0) {
    out(`no sessions in ${l.dir}\n`);
    return 0;
  }
  const rows = [
    [
      'ID',
      'STARTED',
      'ENDED',
      'TARGET',
      'MODE',
      'RECORDS',
      'LOST IN TARGET',
      'NOT STORED',
      'MALFORMED',
      'SIZE',
      'STATE',
    ],
    ...l.sessions.map((s) => [
      s.id,
      fmtTime(s.startedAt),
      fmtTime(s.endedAt),
      (s.targetLabel ?? '-').slice(0, 40),
      s.mode ?? '-',
      String(s.records),
      // Unknown: records without sequence numbers, or a run that stopped without closing its
      // file (`show` counts it from the records).
      s.targetLost === null ? 'unknown' : String(s.targetLost),
      s.lost === null ? '-' : String(s.lost),
      String(s.malformed),
      fmtBytes(s.sizeBytes),
      `${s.kind ?? '?'}, ${stateOf(s)}`,
    ]),
  ];
  out(`${table(rows)}\n`);
  out(`${l.sessions.length} sessions, ${fmtBytes(l.totalBytes)} in ${l.dir}\n`);
  for (const s of l.sessions) if (s.problem !== null) err(`${s.id}: ${s.problem}\n`);
  return 0;
}

const count = (n: number) => n.toLocaleString('en-US');

/** `12 (3.4%)`: lost records and their share of what the target made; `unknown` when unknown. */
function lostText(lost: number | null, delivered: number): string {
  if (lost === null) return 'unknown';
  if (lost === 0) return '0';
  const share = (100 * lost) / (lost + delivered);
  return `${count(lost)} (${share < 0.1 ? share.toFixed(2) : share.toFixed(1)}%)`;
}

async function show(
  sessions: SessionsService,
  args: readonly string[],
  json: boolean,
): Promise<number> {
  if (args.length !== 1) throw new UsageError('show takes one session id');
  const d: SessionDetail = await sessions.show(args[0] as string);
  if (json) {
    out(`${JSON.stringify(d, null, 2)}\n`);
    return 0;
  }
  const line = (k: string, v: string | number | null) => out(`${k.padEnd(15)} ${v ?? '-'}\n`);
  line('id', d.id);
  line('file', d.file);
  line('kind', d.kind);
  line('state', stateOf(d));
  line('started', fmtTime(d.startedAt));
  line('ended', fmtTime(d.endedAt));
  line('target', d.targetLabel);
  line('mode', d.mode);
  line('capability', d.capability);
  line('OS build', d.osBuild);
  line('CLI', d.cliVersion);
  line('records', `${count(d.records)} delivered`);
  // Loss beside every count: what the target lost (sequence gaps), or why nobody can tell.
  line(
    'lost in target',
    d.lossUnknown !== null
      ? `unknown (${d.lossUnknown})`
      : `${lostText(d.targetLost, d.records)}${d.unsequenced > 0 ? `; ${count(d.unsequenced)} records without sequence numbers (their loss unknown)` : ''}`,
  );
  line('malformed', d.malformed);
  line('not stored', d.lost);
  line('size', fmtBytes(d.sizeBytes));
  line('layout', d.layout);
  if (d.importedFrom !== null) line('imported', d.importedFrom);
  if (d.described === 'derived')
    line('note', 'an older file without a description: derived from its tables');
  out(d.events.length > 0 ? 'events:\n' : 'events: none\n');
  const rows: string[][] = [['  EVENT', 'RUN', 'DELIVERED', 'LOST', 'ACTION', 'COMMAND']];
  for (const e of d.events) {
    rows.push([
      `  ${e.eventId.toString(16)}`,
      String(e.generation),
      count(e.records),
      lostText(e.lost, e.records),
      e.actionName ?? 'hex',
      e.command?.slice(0, 100) ?? '',
    ]);
    for (const c of e.cores ?? [])
      rows.push([
        `    core ${c.core.toString(16)}`,
        '',
        count(c.delivered),
        lostText(c.lost, c.delivered),
        `highest number ${count(c.highest)}`,
        '',
      ]);
  }
  if (d.events.length > 0) out(`${table(rows, new Set([2, 3]))}\n`);
  if (d.countTables.length > 0) {
    out('counted in the target (exact totals up to the last table each event printed):\n');
    for (const t of d.countTables) {
      out(
        `  event ${t.eventId.toString(16)}${t.generation > 1 ? ` (run ${t.generation})` : ''}: ${count(t.total)} triggers up to table ${t.seq}${t.other > 0 ? `, ${count(t.other)} with keys beyond the table` : ''}${t.triggersPerSecond !== null ? `, ${count(Math.round(t.triggersPerSecond))} triggers/s` : ''}\n`,
      );
      out(
        `${table(
          t.entries.map((x) => [`    ${x.key}`, count(x.count)]),
          new Set([1]),
        )}\n`,
      );
    }
  }
  if (d.transcripts.length > 0) out(`transcripts: ${d.transcripts.join(', ')}\n`);
  for (const m of d.marks)
    out(
      `  ${fmtTime(m.at)}  CLI run ${m.generation} ${m.kind}${m.reason !== null ? ` (${m.reason})` : ''}\n`,
    );
  for (const n of d.notes) out(`note: ${n}\n`);
  return 0;
}

async function exportSession(
  sessions: SessionsService,
  hub: ReturnType<typeof createStreamHub>,
  jobs: Jobs,
  args: readonly string[],
  v: { format?: string; out?: string; filter?: string; overwrite?: boolean; json?: boolean },
): Promise<number> {
  if (args.length !== 1) throw new UsageError('export takes one session id');
  if (v.format === undefined || !(EXPORT_FORMATS as readonly string[]).includes(v.format))
    throw new UsageError(`--format: one of ${EXPORT_FORMATS.join(', ')}`);
  if (v.out === undefined) throw new UsageError('--out FILE is required');
  let filter: LogFilter = {};
  if (v.filter !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(v.filter);
    } catch (e) {
      throw new UsageError(`--filter: not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    const f = logFilterSchema.safeParse(raw);
    if (!f.success)
      throw new UsageError(
        `--filter: ${f.error.issues[0]?.path.join('.') ?? ''} ${f.error.issues[0]?.message ?? ''}`,
      );
    filter = f.data;
  }
  const id = sessions.resolve(args[0] as string);
  sessions.open(id);
  const log = sessions.logFor(id);
  const view = log.openView(filter);
  const jobId = 'cli-export';
  const show = progressPrinter();
  const off = hub.subscribe('sessions:progress', (p) => {
    if (p.jobId === jobId && p.of > 0)
      show(`exporting ${p.done} of ${p.of} records (${Math.floor((p.done / p.of) * 100)}%)`, false);
  });
  const onSignal = () => jobs.cancel(jobId);
  process.once('SIGINT', onSignal);
  try {
    const r = await log.exportView(
      view.viewId,
      v.format as ExportFormat,
      resolve(v.out),
      v.overwrite === true,
      jobId,
    );
    show(`exported ${r.records} records (${fmtBytes(r.bytes)}) to ${r.path}`, true);
    if (v.json === true) out(`${JSON.stringify(r)}\n`);
    return 0;
  } finally {
    off();
    process.removeListener('SIGINT', onSignal);
  }
}

function remove(sessions: SessionsService, args: readonly string[], json: boolean): number {
  if (args.length === 0) throw new UsageError('delete takes one or more session ids');
  const r = sessions.delete(args);
  if (json) out(`${JSON.stringify(r)}\n`);
  else {
    for (const id of r.deleted) out(`deleted ${id}\n`);
    for (const x of r.refused) err(`not deleted ${x.id}: ${x.reason}\n`);
  }
  return r.refused.length > 0 ? EXIT_INPUT : 0;
}

async function importFile(
  sessions: SessionsService,
  hub: ReturnType<typeof createStreamHub>,
  jobs: Jobs,
  args: readonly string[],
  v: { map?: string[]; label?: string; 'dry-run'?: boolean; json?: boolean },
): Promise<number> {
  if (args.length !== 1) throw new UsageError('import takes one file');
  const path = resolve(args[0] as string);
  const jobId = 'cli-import';
  const show = progressPrinter();
  const off = hub.subscribe('sessions:progress', (p) => {
    if (p.jobId !== jobId || p.of <= 0) return;
    const pct = Math.floor((p.done / p.of) * 100);
    show(
      `${p.phase === 'scan' ? 'scanning' : 'importing'} ${fmtBytes(p.done)} of ${fmtBytes(p.of)} (${pct}%)`,
      false,
    );
  });
  const onSignal = () => jobs.cancel(jobId);
  process.once('SIGINT', onSignal);
  try {
    const plan = await sessions.scan({ jobId, path });
    if (process.stderr.isTTY === true) err('\n');
    const mapping = parseMapping(v.map ?? [], plan.actions);
    if (v['dry-run'] === true) {
      if (v.json === true) out(`${JSON.stringify(plan, null, 2)}\n`);
      else {
        out(
          `${plan.fileName}: ${KIND_WORDS[plan.kind]}, ${plan.records} records, ${plan.malformed} malformed lines\n`,
        );
        out(`${describeEvents(plan.events)}\n`);
        for (const n of plan.notes) out(`note: ${n}\n`);
      }
      return 0;
    }
    const r = await sessions.import({ jobId, path, mapping, label: v.label });
    if (process.stderr.isTTY === true) err('\n');
    if (v.json === true) out(`${JSON.stringify(r, null, 2)}\n`);
    else {
      out(
        `imported ${r.records} records (${r.malformed} malformed lines) from ${plan.fileName} as session ${r.session.id}\n`,
      );
      if (r.events.length > 0) out(`${describeEvents(r.events)}\n`);
      for (const n of r.notes) out(`note: ${n}\n`);
    }
    return 0;
  } finally {
    off();
    process.removeListener('SIGINT', onSignal);
  }
}

function retention(
  sessions: SessionsService,
  v: { 'keep-sessions'?: string; 'keep-days'?: string; 'max-size'?: string; json?: boolean },
): number {
  const current = sessions.getRetention();
  const limit = (name: string, raw: string | undefined, max: number, was: number | null) =>
    raw === undefined ? was : (parseLimit(name, raw, max) ?? null);
  const policy: RetentionPolicy = {
    keepSessions: limit(
      'keep-sessions',
      v['keep-sessions'],
      MAX_KEEP_SESSIONS,
      current.keepSessions,
    ),
    keepDays: limit('keep-days', v['keep-days'], MAX_KEEP_DAYS, current.keepDays),
    maxTotalMiB: limit('max-size', v['max-size'], MAX_KEEP_MIB, current.maxTotalMiB),
  };
  const changing =
    v['keep-sessions'] !== undefined || v['keep-days'] !== undefined || v['max-size'] !== undefined;
  const describe = (p: RetentionPolicy) =>
    `keep sessions: ${p.keepSessions ?? 'all'}; keep days: ${p.keepDays ?? 'all'}; max size: ${p.maxTotalMiB === null ? 'none' : `${p.maxTotalMiB} MiB`}`;
  if (!changing) {
    out(v.json === true ? `${JSON.stringify(current)}\n` : `${describe(current)}\n`);
    return 0;
  }
  const r = sessions.setRetention(policy);
  if (v.json === true) out(`${JSON.stringify(r)}\n`);
  else {
    out(`${describe(r.policy)}\n`);
    for (const id of r.deleted) out(`deleted ${id}\n`);
    for (const x of r.refused) err(`kept ${x.id}: ${x.reason}\n`);
  }
  return 0;
}
