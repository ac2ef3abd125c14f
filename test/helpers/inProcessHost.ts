// The real host (createHost) and web server in this process, so a test can feed records straight
// into the log's sink while Chromium watches the UI; plus deterministic record generators shaped
// like the simulator's (ImageFileName per syscall, pool tags, an event with no action).
import { join } from 'node:path';
import type { IngestedRecord, RecordSink } from '../../electron/host/log/sink';
import type { RecordSourceInfo } from '../../electron/host/log/logService';
import { createHost, type Host } from '../../electron/host/composition';
import { newToken } from '../../electron/web/auth';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { distDir, tempDir } from './paths';

/** The seed's ImageFileName action: 0x18 bytes, `ImageFileName: cstr[15] @ 0x0`. */
export const IMAGE_ACTION: RecordSourceInfo = {
  actionId: 'act-image-file-name',
  actionName: 'Current process ImageFileName',
  schema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
};

/** A three-field action: a pool tag, an allocation size, the caller's address. */
export const POOL_ACTION: RecordSourceInfo = {
  actionId: 'act-pool-tag',
  actionName: 'Pool allocation',
  schema: [
    { name: 'Tag', offset: 0, type: 'cstr[4]' },
    { name: 'Size', offset: 4, type: 'u32' },
    { name: 'Caller', offset: 8, type: 'ptr' },
  ],
};

/** Event 1 -> ImageFileName, event 2 -> pool tags, event 3 -> no action (hex). */
export function standardResolver(_generation: number, eventId: number): RecordSourceInfo | null {
  if (eventId === 1) return IMAGE_ACTION;
  if (eventId === 2) return POOL_ACTION;
  return null;
}

export const PROCESS_NAMES = [
  'svchost.exe',
  'explorer.exe',
  'chrome.exe',
  'MsMpEng.exe',
  'System',
  'csrss.exe',
  'lsass.exe',
  'services.exe',
  'winlogon.exe',
  'dwm.exe',
  'SearchIndexer.e',
  'notepad.exe',
] as const;
const POOL_TAGS = ['HDBG', 'File', 'Ntfx', 'MmSt', 'Irp ', 'Even'] as const;

/** Process name k appears with weight 1/(k+1): a few busy processes, a long tail. */
const NAME_TABLE: number[] = (() => {
  const weights = PROCESS_NAMES.map((_, k) => 1 / (k + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const table: number[] = [];
  weights.forEach((w, k) => {
    for (let i = 0; i < Math.round((w / sum) * 1000); i++) table.push(k);
  });
  return table;
})();

/** The process name record `i` carries (deterministic). */
export function processNameOf(i: number): string {
  return PROCESS_NAMES[NAME_TABLE[(i * 7919) % NAME_TABLE.length] as number] as string;
}

/** Which event record `i` belongs to: 80% ImageFileName, 15% pool tags, 5% hex. */
export function eventOf(i: number): number {
  const r = (i * 37) % 100;
  return r < 80 ? 1 : r < 95 ? 2 : 3;
}

/** Record `i` of a deterministic stream (same i, same record). */
export function makeRecord(i: number, generation = 1, receivedAt = Date.now()): IngestedRecord {
  const eventId = eventOf(i);
  let bytes: Uint8Array;
  if (eventId === 1) {
    bytes = new Uint8Array(0x18);
    const name = processNameOf(i);
    for (let k = 0; k < name.length && k < 15; k++) bytes[k] = name.charCodeAt(k);
  } else if (eventId === 2) {
    bytes = new Uint8Array(16);
    const tag = POOL_TAGS[i % POOL_TAGS.length] as string;
    for (let k = 0; k < 4; k++) bytes[k] = tag.charCodeAt(k);
    const view = new DataView(bytes.buffer);
    view.setUint32(4, 0x40 + (i % 64) * 0x10, true);
    view.setBigUint64(8, 0xfffff80112340000n + BigInt(i % 4096) * 0x10n, true);
  } else {
    bytes = new Uint8Array(12);
    for (let k = 0; k < bytes.length; k++) bytes[k] = (i + k * 31) & 0xff;
  }
  return {
    receivedAt,
    generation,
    record: {
      eventId,
      core: i % 4,
      context: 0x55n + BigInt(i % 16),
      length: bytes.length,
      bytes,
    },
  };
}

/** Records `from`..`from+count-1`. */
export function makeRecords(from: number, count: number, generation = 1): IngestedRecord[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, k) => makeRecord(from + k, generation, now));
}

export interface Feed {
  /** Records sent so far. */
  readonly sent: number;
  stop(): void;
}

/** Tick of the feed: records go in as the session engine hands them on, in small batches. */
const FEED_TICK_MS = 10;

/**
 * Sends `ratePerSec` records per second into `sink` in batches every ~10 ms, catching up on
 * late ticks so the mean rate holds, until stopped (or `limit` records were sent).
 */
export function startFeed(
  sink: RecordSink,
  ratePerSec: number,
  opts: { from?: number; limit?: number; generation?: number } = {},
): Feed {
  const start = performance.now();
  const from = opts.from ?? 0;
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.min(limit, Math.floor(((performance.now() - start) / 1000) * ratePerSec));
    // Never more than a second's worth at once: a stalled loop must not flood in one go.
    const n = Math.min(due - sent, ratePerSec);
    if (n > 0) {
      sink.records(makeRecords(from + sent, n, opts.generation));
      sent += n;
    }
    if (sent >= limit) clearInterval(timer);
  }, FEED_TICK_MS);
  return {
    get sent() {
      return sent;
    },
    stop: () => clearInterval(timer),
  };
}

export interface InProcessHost {
  readonly host: Host;
  readonly server: WebServer;
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly dataDir: string;
  readonly sink: Host['log']['sink'];
  stop(): Promise<void>;
}

/** createHost + startWebServer in this process, serving the built renderer (dist/renderer). */
export async function startInProcessHost(
  opts: { dataDir?: string; resolver?: typeof standardResolver | null } = {},
): Promise<InProcessHost> {
  const dataDir = opts.dataDir ?? tempDir('hds-log-');
  const host = await createHost({ hostKind: 'web', dataDir, appVersion: '0.0.0-test' });
  if (opts.resolver !== null) host.log.setSourceResolver(opts.resolver ?? standardResolver);
  const token = newToken();
  const server = await startWebServer({
    handlers: host.handlers,
    hub: host.hub,
    rendererDir: join(distDir, 'renderer'),
    token,
    port: 0,
    exportsDir: host.log.exportsDir,
  });
  return {
    host,
    server,
    url: server.url,
    origin: `http://127.0.0.1:${server.port}`,
    token,
    dataDir,
    sink: host.log.sink,
    async stop() {
      await server.close();
      // The renderer may have connected the simulator (first run opens on it): end that CLI
      // through the session's own command before the host goes away.
      await Promise.resolve(host.handlers['session:disconnect']({}, { transport: 'memory' })).catch(
        () => undefined,
      );
      await host.dispose();
    },
  };
}
