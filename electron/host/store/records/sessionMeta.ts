// The session database's self-description: the meta table's keys (written when the session
// starts, updated at each CLI start and end and when it closes), and how a listing reads them,
// deriving from the tables what an older file does not say. Host side.
import type { SessionKind, SessionRunState } from '../../../../shared/contract/sessions';

/** Meta keys. Values are text; times are ms since the epoch, counts decimal. */
export const META = {
  format: 'format',
  kind: 'kind',
  createdAt: 'createdAt',
  appVersion: 'appVersion',
  pid: 'pid',
  hostname: 'hostname',
  startedAt: 'startedAt',
  endedAt: 'endedAt',
  targetLabel: 'targetLabel',
  mode: 'mode',
  capability: 'capability',
  osBuild: 'osBuild',
  cliVersion: 'cliVersion',
  records: 'records',
  malformed: 'malformed',
  lost: 'lost',
  transcripts: 'transcripts',
  importedFrom: 'importedFrom',
  importedBytes: 'importedBytes',
  importKind: 'importKind',
  notes: 'notes',
  /** JSON `{ "<generation>:<eventId>": "<command>" }` of the events an import or capture saw. */
  commands: 'commands',
  /**
   * JSON `[[generation, eventId, records, lastAt, actionName, lost], ...]`, written when the
   * session ends: a past session's event list without a pass over its records. `lost` (records
   * lost in the target, from HDBG2 sequence gaps, or null) is absent in older files.
   */
  events: 'events',
  /** Records lost in the target over every event, and records without a sequence number. */
  targetLost: 'target_lost',
  unsequenced: 'unsequenced',
} as const;

/** One event's totals as the meta table keeps them. */
export interface MetaEvent {
  readonly generation: number;
  readonly eventId: number;
  readonly count: number;
  readonly lastAt: number;
  readonly actionName: string | null;
  /** Lost in the target (sequence gaps); null when unknown (HDBG1 records, older files). */
  readonly lost: number | null;
}

/** The `events` meta value, or null when absent or unreadable (then the tables are read). */
export function metaEvents(meta: Readonly<Record<string, string>>): MetaEvent[] | null {
  const raw = meta[META.events];
  if (raw === undefined) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    if (!Array.isArray(v)) return null;
    const out: MetaEvent[] = [];
    for (const e of v) {
      if (!Array.isArray(e) || (e.length !== 5 && e.length !== 6)) return null;
      const [generation, eventId, count, lastAt, actionName, lost] = e as unknown[];
      if (
        ![generation, eventId, count, lastAt].every(
          (n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0,
        )
      )
        return null;
      out.push({
        generation: generation as number,
        eventId: eventId as number,
        count: count as number,
        lastAt: lastAt as number,
        actionName: typeof actionName === 'string' ? actionName.slice(0, 200) : null,
        lost: typeof lost === 'number' && Number.isSafeInteger(lost) && lost >= 0 ? lost : null,
      });
    }
    return out;
  } catch {
    return null;
  }
}

/** What the session engine knows of its target, as `LogService.setSessionInfo` takes it. */
export interface SessionInfo {
  readonly targetLabel?: string | null;
  readonly mode?: string | null;
  readonly capability?: string | null;
  readonly osBuild?: string | null;
  readonly cliVersion?: string | null;
}

export const SESSION_FILE_EXTENSION = '.sqlite3';

/** A session's id from its file name. */
export function sessionIdOf(fileName: string): string {
  return fileName.endsWith(SESSION_FILE_EXTENSION)
    ? fileName.slice(0, -SESSION_FILE_EXTENSION.length)
    : fileName;
}

const KINDS: readonly SessionKind[] = ['app', 'capture', 'import'];

export function kindOf(meta: Readonly<Record<string, string>>): SessionKind | null {
  const k = meta[META.kind];
  return KINDS.includes(k as SessionKind) ? (k as SessionKind) : null;
}

/** A meta value as a whole number, or null. */
export function metaNumber(meta: Readonly<Record<string, string>>, key: string): number | null {
  const v = meta[key];
  if (v === undefined || !/^-?\d{1,16}$/.test(v)) return null;
  return Number(v);
}

export function metaText(meta: Readonly<Record<string, string>>, key: string): string | null {
  const v = meta[key];
  return v === undefined || v === '' ? null : v;
}

/** A JSON list of strings in a meta value (empty when absent or malformed). */
export function metaList(meta: Readonly<Record<string, string>>, key: string): string[] {
  try {
    const v = JSON.parse(meta[key] ?? '[]') as unknown;
    return Array.isArray(v) ? v.slice(0, 1000).map((x) => String(x).slice(0, 1000)) : [];
  } catch {
    return [];
  }
}

/** A JSON object of strings in a meta value. */
export function metaMap(meta: Readonly<Record<string, string>>, key: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const v = JSON.parse(meta[key] ?? '{}') as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      for (const [k, x] of Object.entries(v as Record<string, unknown>).slice(0, 10_000))
        out.set(k, String(x).slice(0, 60_000));
  } catch {
    // An unreadable value says nothing.
  }
  return out;
}

/** Whether a process with this pid runs on this machine (signal 0 checks without sending). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Running, ended or interrupted: a file with an end time ended; one without is still being
 * written if its writer (same machine, pid alive) runs, else its writer stopped without closing.
 */
export function runStateOf(
  meta: Readonly<Record<string, string>>,
  thisHost: string,
  hasEnd: boolean,
): SessionRunState {
  if (hasEnd) return 'ended';
  const pid = metaNumber(meta, META.pid);
  const host = metaText(meta, META.hostname);
  // Files from before the hostname was stored cannot tell a live writer from a reused pid: they
  // were written by an older build, whose run has ended.
  if (pid !== null && host === thisHost && processAlive(pid)) return 'running';
  return 'interrupted';
}
