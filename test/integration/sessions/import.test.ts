// Importing files through the host's contract, as the Sessions view does: a `.logopen` file
// uploaded in chunks (browser mode has no paths), scanned (events matched to library actions by
// their commands), imported with the user's choice for an unmatched event; a large transcript
// read as a stream with progress; a cancelled import leaving no session behind.
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostClient } from '../../../shared/contract/client';
import { createMemoryClient } from '../../helpers/memoryClient';
import { unwrap } from '../../../shared/contract/result';
import type { JobProgress } from '../../../shared/contract/sessions';
import { createHost, type Host } from '../../../electron/host/composition';
import { READ_CHUNK_BYTES } from '../../../electron/host/sessions/transcriptReader';
import { repoRoot, tempDir } from '../../helpers/paths';

const LOGOPEN = join(repoRoot, 'test/fixtures/sessions/analyst-syscalls.logopen');
/**
 * The analyst's own log action, imported into the library as an exchange file: the script their
 * `.logopen` file shows on `!syscall`, with the schema its records decode with.
 */
const ACTION_LOG = 'process names';
const ACTION_LOG_FILE = JSON.stringify({
  format: 'hyperdbg-studio/actions',
  formatVersion: 1,
  exportedAt: '2026-01-01T00:00:00.000Z',
  generator: 'the analyst',
  actions: [
    {
      name: ACTION_LOG,
      kind: 'log',
      eventKinds: ['!syscall'],
      tags: [],
      description: '',
      windowsBuilds: { minBuild: null, maxBuild: null, note: '' },
      script:
        'printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));',
      bufferSize: 0,
      bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
    },
  ],
});
/** The built-in "Current process ImageFileName": its code bytes as saved (reference build 19041). */
const CODE_19041 = '65488B042588010000488B80B80000004805A8050000C3';

const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.dispose();
});

async function startHost(): Promise<{ host: Host; client: HostClient; dataDir: string }> {
  const dataDir = tempDir('hds-import-');
  const host = await createHost({ hostKind: 'web', dataDir, appVersion: '0.0.0-test' });
  hosts.push(host);
  return { host, client: createMemoryClient(host.handlers, host.hub), dataDir };
}

function progressOf(host: Host, jobId: string): JobProgress[] {
  const seen: JobProgress[] = [];
  host.hub.subscribe('sessions:progress', (p) => {
    if (p.jobId === jobId) seen.push(p);
  });
  return seen;
}

/**
 * An app transcript as the simulator prints it (raw mode): banner, prompts, the `events` listing
 * with the seed action's command, then `records` record lines of 0x18 bytes.
 */
async function writeTranscript(file: string, records: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    new Promise<void>((resolve) => (out.write(s) ? resolve() : out.once('drain', resolve)));
  await write('HyperDbg Debugger [version: v0.23.0-sim, build: 20260803.1412]\n');
  await write('Please visit https://docs.hyperdbg.org for more information...\n\n');
  await write('HyperDbg> local debugging (vmi-mode)\n\n');
  await write(`HyperDbg> 0\t(enabled)\t    !syscall buffer 18 code ${CODE_19041}...\n\n`);
  const names = ['7265726f6c707865 6578652e', '2e74736f68637673 657865', '6d6574737953 0'];
  let chunk = 'HyperDbg> ';
  for (let i = 0; i < records; i++) {
    chunk += `HDBG1 0 ${i % 4} ${(0x55 + (i % 9)).toString(16)} 18 ${names[i % 3]} 0\n`;
    if (chunk.length > 64 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve) => out.end(resolve));
}

describe('import through the contract', () => {
  it('uploads a .logopen file in chunks, scans it, imports it with a choice for the unmatched event', async () => {
    const { host, client } = await startHost();
    unwrap(
      await client.call('library:import', {
        fileName: 'analyst-actions.json',
        content: ACTION_LOG_FILE,
      }),
    );
    const bytes = readFileSync(LOGOPEN);
    const { uploadId } = unwrap(
      await client.call('sessions:upload-begin', {
        fileName: 'analyst-syscalls.logopen',
        bytes: bytes.length,
      }),
    );
    const half = 1500;
    const first = bytes.subarray(0, half).toString('base64');
    unwrap(await client.call('sessions:upload-chunk', { uploadId, offset: 0, data: first }));
    // Out of order is refused: chunks come in sequence.
    const wrong = await client.call('sessions:upload-chunk', { uploadId, offset: 0, data: first });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toMatch(/expects the chunk at 1500, not 0/);
    // Scanning an incomplete upload is refused.
    const early = await client.call('sessions:import-scan', { jobId: 'scan-early', uploadId });
    expect(early.ok).toBe(false);
    unwrap(
      await client.call('sessions:upload-chunk', {
        uploadId,
        offset: half,
        data: bytes.subarray(half).toString('base64'),
      }),
    );

    const plan = unwrap(await client.call('sessions:import-scan', { jobId: 'scan-1', uploadId }));
    expect(plan).toMatchObject({
      fileName: 'analyst-syscalls.logopen',
      kind: 'logopen',
      records: 80,
      malformed: 1,
    });
    const log = plan.actions.find((a) => a.name === ACTION_LOG);
    expect(log?.fields).toEqual(['ImageFileName']);
    expect(plan.events.map((e) => [e.eventId, e.records, e.actionName])).toEqual([
      [0, 10, null],
      [1, 45, ACTION_LOG],
      [2, 25, null],
    ]);
    // The multi-line command, as the CLI joined it; the foreign event only from the listing.
    expect(plan.events[2]?.command).toBe(
      '!syscall 55 script {\n    if ($core == 0) {\n        printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));\n    }\n}',
    );
    expect(plan.events[0]).toMatchObject({ commandTruncated: true });
    expect(plan.events[0]?.command).toMatch(/^!epthook nt!ExAllocatePoolWithTag script {2}printf/);

    const result = unwrap(
      await client.call('sessions:import', {
        jobId: 'scan-1',
        uploadId,
        mapping: [{ generation: 1, eventId: 2, actionId: log?.id as string }],
        label: 'analyst box',
      }),
    );
    expect(result.records).toBe(80);
    expect(result.events.map((e) => [e.eventId, e.actionName, e.match])).toEqual([
      [0, null, 'no library action starts with its (cut) code or script'],
      [1, ACTION_LOG, 'its script'],
      [2, ACTION_LOG, 'chosen at import'],
    ]);
    expect(result.notes[0]).toMatch(/^event 0: 10 records stay hex/);
    const detail = unwrap(await client.call('sessions:show', { id: result.session.id }));
    expect(detail).toMatchObject({
      kind: 'import',
      targetLabel: 'analyst box',
      importedFrom: 'analyst-syscalls.logopen',
      mode: 'vmi',
      records: 80,
      malformed: 1,
      startedAt: new Date(2025, 2, 14, 9, 26, 53).getTime(),
    });
    expect(detail.events.map((e) => [e.eventId, e.records, e.actionName])).toEqual([
      [0, 10, null],
      [1, 45, ACTION_LOG],
      [2, 25, ACTION_LOG],
    ]);
    expect(detail.notes.some((n) => /\.logopen file's own time stamp/.test(n))).toBe(true);
    // The upload is gone once imported.
    const again = await client.call('sessions:import-scan', { jobId: 'scan-2', uploadId });
    expect(again.ok).toBe(false);
    void host;
  });

  it('reads a large transcript as a stream, with progress, and decodes every record', async () => {
    const { host, client, dataDir } = await startHost();
    const file = join(dataDir, 'big-transcript.log');
    const records = 300_000;
    await writeTranscript(file, records);
    const size = readFileSync(file).length;
    expect(size).toBeGreaterThan(8 * READ_CHUNK_BYTES);
    const scanned = progressOf(host, 'big');
    const plan = unwrap(await client.call('sessions:import-scan', { jobId: 'big', path: file }));
    expect(plan).toMatchObject({ kind: 'transcript', records, malformed: 0 });
    expect(plan.events).toMatchObject([
      { eventId: 0, records, actionName: 'Current process ImageFileName' },
    ]);
    // Read in chunks: progress after each, ending at the file's size.
    const scan = scanned.filter((p) => p.phase === 'scan');
    expect(scan.length).toBeGreaterThanOrEqual(2);
    expect(scan.at(-1)).toMatchObject({ done: size, of: size, unit: 'bytes' });
    const result = unwrap(
      await client.call('sessions:import', { jobId: 'big', path: file, mapping: [] }),
    );
    expect(result.records).toBe(records);
    expect(scanned.some((p) => p.phase === 'import')).toBe(true);
    const view = unwrap(
      await client.call('log:open-view', {
        session: result.session.id,
        filter: { fields: [{ field: 'ImageFileName', op: 'equals', value: 'System' }] },
      }),
    );
    // The filter is applied to the stored records in steps: wait until it got through them all.
    let info = view;
    while (info.building !== null) {
      await new Promise((r) => setTimeout(r, 20));
      info = unwrap(await client.call('log:set-paused', { viewId: view.viewId, paused: false }));
    }
    expect(info.matched).toBe(records / 3);
  }, 120_000);

  it('keeps the count tables a transcript holds; a cut table is a malformed line', async () => {
    const { client, dataDir } = await startHost();
    const file = join(dataDir, 'counted.log');
    const svchost = Buffer.from('svchost.', 'latin1').readBigUInt64LE(0).toString(16);
    const system = Buffer.from('System\0\0', 'latin1').readBigUInt64LE(0).toString(16);
    writeFileSync(
      file,
      [
        'HyperDbg Debugger [version: v0.23.0, build: 20250101.1200]',
        'HyperDbg> !syscall script {...}',
        `HDBGT 0 1 3e8 0 2 ${svchost} 258 ${system} 190`,
        `HDBGT 0 2 7d0 5 2 ${svchost} 4b0 ${system} 31b`,
        `HDBGT 0 3 bb8 5 2 ${svchost}`,
        'HyperDbg> ',
      ].join('\n'),
    );
    const plan = unwrap(await client.call('sessions:import-scan', { jobId: 't', path: file }));
    expect(plan.malformed).toBe(1);
    const result = unwrap(
      await client.call('sessions:import', { jobId: 't', path: file, mapping: [] }),
    );
    const detail = unwrap(await client.call('sessions:show', { id: result.session.id }));
    // The latest whole table: exact totals up to it, keys as the user reads them.
    expect(detail.countTables).toHaveLength(1);
    expect(detail.countTables[0]).toMatchObject({
      eventId: 0,
      seq: 2,
      total: 2000,
      other: 5,
      entries: [
        { key: 'svchost.', count: 1200 },
        { key: 'System', count: 795 },
      ],
    });
  });

  it('a hostile file of endless event commands is read within bounds and says what it skipped', async () => {
    const { client, dataDir } = await startHost();
    const file = join(dataDir, 'commands.logopen');
    let text = '';
    for (let i = 0; i < 5000; i++)
      text += `HyperDbg> !cpuid code {${(i % 256).toString(16).padStart(2, '0')}C3}\r\n\r\n`;
    writeFileSync(file, `${text}HyperDbg> HDBG1 0 0 0 1 41\r\n`);
    const plan = unwrap(await client.call('sessions:import-scan', { jobId: 'many', path: file }));
    expect(plan.records).toBe(1);
    expect(plan.notes).toContain(
      "904 event commands after the first 4096 were not read; their events' records stay hex",
    );
    expect(plan.events.length).toBe(4096);
  });

  it('a cancelled import leaves no session behind', async () => {
    const { host, client, dataDir } = await startHost();
    const file = join(dataDir, 'cancel-transcript.log');
    await writeTranscript(file, 150_000);
    const before = readdirSync(join(dataDir, 'sessions')).sort();
    host.hub.subscribe('sessions:progress', (p) => {
      if (p.jobId === 'cancel-me' && p.phase === 'import' && p.done > 0)
        void client.call('sessions:cancel', { jobId: 'cancel-me' });
    });
    const r = await client.call('sessions:import', { jobId: 'cancel-me', path: file, mapping: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'cancelled' });
    expect(r.ok || r.error.message).toMatch(/the import of cancel-transcript\.log was cancelled/);
    expect(readdirSync(join(dataDir, 'sessions')).sort()).toEqual(before);
  }, 120_000);
});
