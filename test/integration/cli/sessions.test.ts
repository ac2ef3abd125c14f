// `hyperdbg-studio sessions` end to end against real files: a `capture` run (the built CLI, the
// simulator, a real pty) leaves a session database in its --data-dir that `list`, `show` and
// `export` read; its transcript and a hand-built HyperDbg `.logopen` file import as new sessions
// decoded with the library's schemas; foreign and broken files are refused by name; `delete`
// and `retention` remove files. Expected values come from the transcript (through `parse`) and
// from the fixture's text, not from the database under test.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../../helpers/paths';

const BIN = join(repoRoot, 'bin/hyperdbg-studio.mjs');
const LOGOPEN = join(repoRoot, 'test/fixtures/sessions/analyst-syscalls.logopen');
/**
 * The built-in "Current process ImageFileName": the code bytes it is saved with (its named fields
 * resolved for the reference build 19041, EPROCESS.ImageFileName at +0x5a8).
 */
const CODE_2004 = '65488B042588010000488B80B80000004805A8050000C3';
const ACTION_2004 = 'Current process ImageFileName';
/**
 * The analyst's own log action, imported into this library as an exchange file: the script their
 * `.logopen` file shows on `!syscall`, with the schema its records decode with.
 */
const ACTION_LOG = 'process names';
const ACTION_LOG_FILE = {
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
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = tempDir('hds-sessions-cli-');
const sessionsDir = join(dir, 'sessions');
let captured = 0;
let captureId = '';
let logopenId = '';
/** ImageFileName of each record of the capture, in order, from its transcript. */
let names: string[] = [];

function cstr(bytes: Buffer, n: number): string {
  const b = bytes.subarray(0, n);
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString('latin1');
}

/** Records of a HyperDbg text (HDBG1 lines, spec: buffer-records §2), read with a plain regex. */
function recordsOf(text: string): { eventId: number; name: string }[] {
  const out: { eventId: number; name: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m =
      /^(?:HyperDbg> )?HDBG1 ([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ ([0-9a-f]+)((?: [0-9a-f]{1,16})+)$/.exec(
        line,
      );
    if (m === null) continue;
    const length = parseInt(m[2] as string, 16);
    const words = (m[3] as string).trim().split(' ');
    if (words.length !== Math.ceil(length / 8)) continue; // malformed: a word missing
    const bytes = Buffer.alloc(words.length * 8);
    words.forEach((w, i) => bytes.writeBigUInt64LE(BigInt(`0x${w}`), i * 8));
    out.push({ eventId: parseInt(m[1] as string, 16), name: cstr(bytes, Math.min(15, length)) });
  }
  return out;
}

const json = <T>(r: Run): T => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

interface Listed {
  sessions: {
    id: string;
    kind: string;
    state: string;
    records: number;
    malformed: number;
    lost: number | null;
    mode: string | null;
    targetLabel: string | null;
    osBuild: string | null;
    sizeBytes: number;
    importedFrom: string | null;
  }[];
}

beforeAll(async () => {
  // A data folder with a library (the built-ins), as the app leaves it, and the analyst's log action.
  expect((await run(['library', 'list', '--data-dir', dir])).code).toBe(0);
  const file = join(dir, 'analyst-actions.json');
  writeFileSync(file, JSON.stringify(ACTION_LOG_FILE));
  const imported = await run(['library', 'import', file, '--data-dir', dir]);
  expect(imported.code, imported.stderr).toBe(0);
  const r = await run([
    'capture',
    '--binding',
    JSON.stringify({ kind: '!syscall', buffer: '18', code: CODE_2004 }),
    '--duration',
    '2',
    '--pacing',
    'fast',
    '--rate',
    '3000',
    '--seed',
    '4',
    '--sim-arg=--cores=2',
    '--sim-arg=--os-build=19041',
    // Records on the console, so its transcript holds them (the import below reads it back).
    '--records',
    'console',
    '--data-dir',
    dir,
  ]);
  expect(r.code, r.stderr).toBe(0);
  captured = Number(/records=(\d+)/.exec(r.stdout)?.[1]);
  expect(captured).toBeGreaterThan(500);
  const log = readdirSync(sessionsDir).find((n) => n.endsWith('.log')) as string;
  const parsed = spawnSync(process.execPath, [BIN, 'parse'], {
    input: readFileSync(join(sessionsDir, log)),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  names = parsed.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"type":"record"'))
    .map((l) => cstr(Buffer.from((JSON.parse(l) as { bytes: string }).bytes, 'hex'), 15));
  expect(names.length).toBe(captured);
}, 60_000);

describe('hyperdbg-studio sessions', () => {
  it('lists the capture as a session: kind, state, target, mode, records, size', async () => {
    const l = json<Listed>(await run(['sessions', 'list', '--data-dir', dir, '--json']));
    expect(l.sessions.length).toBe(1);
    const s = l.sessions[0] as Listed['sessions'][number];
    captureId = s.id;
    expect(s).toMatchObject({
      kind: 'capture',
      state: 'ended',
      records: captured,
      malformed: 0,
      lost: 0,
      mode: 'vmi',
      osBuild: '19041',
    });
    expect(s.targetLabel).toMatch(/^Simulator/);
    expect(s.sizeBytes).toBeGreaterThan(0);
    const text = await run(['sessions', 'list', '--data-dir', dir]);
    expect(text.stdout).toMatch(
      /^ID +STARTED +ENDED +TARGET +MODE +RECORDS +LOST IN TARGET +NOT STORED +MALFORMED +SIZE +STATE/,
    );
    expect(text.stdout).toContain(captureId);
    // Returned buffers (HDBG1) carry no sequence number: the loss in the target reads unknown.
    expect(text.stdout).toMatch(new RegExp(` ${captured} +unknown +0 +0 `));
  });

  it('shows its event decoded by the library action whose code it carries', async () => {
    const d = json<{
      events: { eventId: number; records: number; actionName: string | null; command: string }[];
      transcripts: string[];
    }>(await run(['sessions', 'show', captureId.slice(0, 20), '--data-dir', dir, '--json']));
    expect(d.events).toEqual([
      {
        generation: 1,
        eventId: 0,
        records: captured,
        actionName: ACTION_2004,
        command: `!syscall buffer 18 code {${CODE_2004}}`,
        // Returned buffers (HDBG1) carry no sequence number: what the target lost is unknown.
        lost: null,
        cores: null,
      },
    ]);
    expect(d.transcripts.length).toBe(1);
    expect(existsSync(join(sessionsDir, d.transcripts[0] as string))).toBe(true);
  });

  it('exports every record, and a filter, to JSON lines and CSV', async () => {
    const all = join(dir, 'all.jsonl');
    expect(
      (
        await run([
          'sessions',
          'export',
          'latest',
          '--format',
          'jsonl',
          '--out',
          all,
          '--data-dir',
          dir,
        ])
      ).code,
    ).toBe(0);
    const rows = readFileSync(all, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { fields: Record<string, string> | null });
    expect(rows.length).toBe(captured);
    expect(rows.map((r) => r.fields?.ImageFileName)).toEqual(names);

    const wanted = names[0] as string;
    const csv = join(dir, 'one.csv');
    const filter = JSON.stringify({
      fields: [{ field: 'ImageFileName', op: 'equals', value: wanted }],
    });
    const r = await run([
      'sessions',
      'export',
      captureId,
      '--format',
      'csv',
      '--out',
      csv,
      '--filter',
      filter,
      '--data-dir',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('seq,time,generation,event,core,context,action,length,ImageFileName,hex');
    expect(lines.length - 1).toBe(names.filter((n) => n === wanted).length);
    // A bad filter names what is wrong; an existing file is not replaced without --overwrite.
    const bad = await run([
      'sessions',
      'export',
      captureId,
      '--format',
      'csv',
      '--out',
      csv,
      '--filter',
      '{"fields":[{"field":"x y"}]}',
      '--data-dir',
      dir,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--filter: fields\.0\.field/);
    const again = await run([
      'sessions',
      'export',
      captureId,
      '--format',
      'csv',
      '--out',
      csv,
      '--data-dir',
      dir,
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('imports the capture’s transcript as a new session with the same records, decoded', async () => {
    const log = readdirSync(sessionsDir).find((n) => n.endsWith('.log')) as string;
    const r = await run([
      'sessions',
      'import',
      join(sessionsDir, log),
      '--data-dir',
      dir,
      '--json',
    ]);
    const result = json<{
      session: { id: string; kind: string };
      records: number;
      events: { eventId: number; actionName: string | null; match: string }[];
    }>(r);
    expect(result.records).toBe(captured);
    expect(result.session.kind).toBe('import');
    expect(result.events).toMatchObject([{ eventId: 0, actionName: ACTION_2004 }]);
    const out = join(dir, 'imported.jsonl');
    expect(
      (
        await run([
          'sessions',
          'export',
          result.session.id,
          '--format',
          'jsonl',
          '--out',
          out,
          '--data-dir',
          dir,
        ])
      ).code,
    ).toBe(0);
    const decoded = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { fields: Record<string, string> }).fields.ImageFileName);
    expect(decoded).toEqual(names);
  });

  it('imports a .logopen file (CRLF, prompts and commands) mapping events by their commands, and one by choice', async () => {
    const text = readFileSync(LOGOPEN, 'latin1');
    expect(text).toContain('\r\n');
    const want = recordsOf(text);
    // A dry run says what it found: event 1 by its script, 0 and 2 not, and the malformed line.
    const dry = await run(['sessions', 'import', LOGOPEN, '--dry-run', '--data-dir', dir]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/a HyperDbg \.logopen file, 80 records, 1 malformed lines/);
    expect(dry.stdout).toMatch(
      new RegExp(
        `event 1: ${want.filter((w) => w.eventId === 1).length} records -> ${ACTION_LOG.replace(/[()]/g, '\\$&')} \\(its script\\)`,
      ),
    );
    expect(dry.stdout).toMatch(
      /event 2: 25 records -> hex \(no library action has its code or script\)/,
    );

    const r = await run([
      'sessions',
      'import',
      LOGOPEN,
      '--map',
      `2=${ACTION_LOG}`,
      '--label',
      'analyst box',
      '--data-dir',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /imported 80 records \(1 malformed lines\) from analyst-syscalls\.logopen/,
    );
    expect(r.stdout).toMatch(/event 0: 10 records stay hex/);
    const id = /as session (\S+)/.exec(r.stdout)?.[1] as string;
    const out = join(dir, 'logopen.jsonl');
    expect(
      (await run(['sessions', 'export', id, '--format', 'jsonl', '--out', out, '--data-dir', dir]))
        .code,
    ).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            eventId: string;
            action: { name: string } | null;
            fields: Record<string, string> | null;
          },
      );
    expect(rows.length).toBe(want.length);
    expect(rows.map((x) => parseInt(x.eventId, 16))).toEqual(want.map((w) => w.eventId));
    for (const [i, row] of rows.entries()) {
      if (row.eventId === '0') expect(row.action).toBeNull();
      else {
        expect(row.action?.name).toBe(ACTION_LOG);
        expect(row.fields?.ImageFileName).toBe(want[i]?.name);
      }
    }
    logopenId = id;
    const l = json<Listed>(await run(['sessions', 'list', '--data-dir', dir, '--json']));
    const imported = l.sessions.find((s) => s.id === id);
    expect(imported).toMatchObject({
      kind: 'import',
      targetLabel: 'analyst box',
      importedFrom: 'analyst-syscalls.logopen',
      records: 80,
      malformed: 1,
    });
  });

  it('refuses broken and foreign files by name, saying what is wrong, and changes nothing', async () => {
    const before = readdirSync(sessionsDir).length;
    const binary = join(dir, 'random.bin');
    writeFileSync(binary, Buffer.from([0x48, 0x44, 0x00, 0xff, 0x10, 0x20, 0x30]));
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'meeting notes\nnothing to see\n');
    const library = join(dir, 'library-copy.sqlite3');
    copyFileSync(join(dir, 'library.sqlite3'), library);
    const truncated = join(dir, 'truncated.sqlite3');
    writeFileSync(
      truncated,
      readFileSync(join(sessionsDir, `${captureId}.sqlite3`)).subarray(0, 8192),
    );
    const cases: [string, RegExp][] = [
      [
        binary,
        /random\.bin is not a console transcript or \.logopen file: it holds binary data \(a NUL byte at offset 2\)/,
      ],
      [text, /notes\.txt holds no HyperDbg console output/],
      [
        library,
        /library-copy\.sqlite3 cannot be opened as a session: it is a SQLite database but not a HyperDbg Studio session \(it has no records table/,
      ],
      [
        truncated,
        /truncated\.sqlite3 cannot be (opened as a session|imported): .*(damaged|malformed|not a SQLite)/,
      ],
      [join(dir, 'missing.log'), /missing\.log cannot be read/],
    ];
    for (const [file, message] of cases) {
      const r = await run(['sessions', 'import', file, '--data-dir', dir]);
      expect(r.code, file).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(sessionsDir).length).toBe(before);
  });

  it('deletes a session with its transcript; retention keeps the newest', async () => {
    const l = json<Listed>(await run(['sessions', 'list', '--data-dir', dir, '--json']));
    expect(l.sessions.length).toBe(3);
    const log = readdirSync(sessionsDir).find((n) => n.endsWith('.log')) as string;
    const del = await run(['sessions', 'delete', captureId, 'no-such-session', '--data-dir', dir]);
    expect(del.code).toBe(2);
    expect(del.stdout).toBe(`deleted ${captureId}\n`);
    expect(del.stderr).toMatch(/not deleted no-such-session: no session no-such-session/);
    expect(existsSync(join(sessionsDir, `${captureId}.sqlite3`))).toBe(false);
    expect(existsSync(join(sessionsDir, log))).toBe(false);

    // Retention goes by when each document was made: the .logopen import is the newest (its
    // records carry the file's 2025 time stamp, so it lists last by start).
    const newest = logopenId;
    const r = await run(['sessions', 'retention', '--keep-sessions', '1', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/keep sessions: 1; keep days: all; max size: none/);
    const left = json<Listed>(await run(['sessions', 'list', '--data-dir', dir, '--json']));
    expect(left.sessions.map((s) => s.id)).toEqual([newest]);
    const shown = await run(['sessions', 'retention', '--data-dir', dir, '--json']);
    expect(JSON.parse(shown.stdout)).toEqual({
      keepSessions: 1,
      keepDays: null,
      maxTotalMiB: null,
    });
    const bad = await run(['sessions', 'retention', '--keep-days', 'soon', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--keep-days: a whole number from 1 to 36500, or off/);
  });
});
