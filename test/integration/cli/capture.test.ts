// `hyperdbg-studio capture` end to end (the built CLI, the built simulator, a real pty): every
// record the simulator says it printed arrives (emitted == records, lost=0 in fast pacing), the
// out file holds exactly the record objects `parse` gives for the session's transcript, and
// usage errors name the option or binding field with exit status 2.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../../helpers/paths';

const BIN = join(repoRoot, 'bin/hyperdbg-studio.mjs');
const SEED_CODE = '65488B042588010000488B80B8000000480550040000C3';
const RECORDING = JSON.stringify({ kind: '!syscall', buffer: '18', code: SEED_CODE });
const SUMMARY = /^records=(\d+) malformed=(\d+) rate=(\d+)\/s emitted=(\d+) lost=(\d+)\n$/;

function run(
  args: string[],
  input = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdin.end(input);
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hyperdbg-studio capture', () => {
  it('captures a flood in fast pacing with nothing lost; the out file is what parse gives', async () => {
    const dir = tempDir('hds-capture-');
    const out = join(dir, 'records.jsonl');
    const r = await run([
      'capture',
      '--binding',
      RECORDING,
      '--duration',
      '3',
      '--pacing',
      'fast',
      '--rate',
      '20000',
      '--seed',
      '2',
      '--sim-arg=--cores=2',
      '--out',
      out,
      '--data-dir',
      dir,
    ]);
    expect(r.stderr).toMatch(/event 0: !syscall buffer 18 code \{/);
    expect(r.code).toBe(0);
    const m = SUMMARY.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const [records, malformed, rate, emitted, lost] = (m as RegExpExecArray).slice(1).map(Number);
    expect(records).toBeGreaterThan(1000);
    expect(emitted).toBe(records);
    expect(lost).toBe(0);
    expect(malformed).toBe(0);
    expect(rate).toBeGreaterThan(0);

    const lines = readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines.length).toBe(records);
    // `parse` on the session transcript gives the same record objects, in the same order.
    const sessions = join(dir, 'sessions');
    // Beside the transcript lies the capture's session database (`sessions list` reads it).
    const log = readdirSync(sessions).find((n) => n.endsWith('.log'));
    expect(readdirSync(sessions).filter((n) => n.endsWith('.sqlite3')).length).toBe(1);
    const parsed = spawnSync(process.execPath, [BIN, 'parse'], {
      input: readFileSync(join(sessions, log as string)),
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    expect(parsed.status).toBe(0);
    const fromParse = parsed.stdout.split('\n').filter((l) => l.startsWith('{"type":"record"'));
    expect(fromParse.length).toBe(records);
    expect(lines).toEqual(fromParse);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      type: 'record',
      eventId: '0',
      length: '18',
      bytes: expect.stringMatching(/^[0-9a-f]{48}$/),
    });
  }, 60_000);

  it('captures in Debugger Mode over the named pipe (pause, apply, continue)', async () => {
    const dir = tempDir('hds-capture-');
    const binding = JSON.stringify({
      kind: '!syscall',
      script: 'printf("HDBG1 %x %x %llx 8 %llx\\n", $event_id, $core, $context, $pid);',
    });
    const r = await run([
      'capture',
      '--connect',
      'namedpipe',
      '--binding',
      binding,
      '--duration',
      '2',
      '--pacing',
      'fast',
      '--rate',
      '5000',
      '--no-transcript',
      '--data-dir',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /connected: .*named pipe \\\\\.\\pipe\\HyperDbgPipe \(debugger mode\)/,
    );
    const [records, , , emitted, lost] = (SUMMARY.exec(r.stdout) as RegExpExecArray)
      .slice(1)
      .map(Number);
    expect(records).toBeGreaterThan(100);
    expect(emitted).toBe(records);
    expect(lost).toBe(0);
  }, 60_000);

  it('refuses bad usage with exit status 2, naming the option or the binding field', async () => {
    const none = await run(['capture']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/at least one --binding/);
    const bad = await run([
      'capture',
      '--binding',
      '{"kind":"!syscall","buffer":"3e8","code":"90"}',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^binding 1: buffer: /m);
    const json = await run(['capture', '--binding', '{nope']);
    expect(json.stderr).toMatch(/--binding 1: not valid JSON/);
    const connect = await run([
      'capture',
      '--binding',
      RECORDING,
      '--connect',
      'serial:COM9:115200',
    ]);
    expect(connect.code).toBe(2);
    expect(connect.stderr).toMatch(/--connect: /);
    const help = await run(['capture', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: hyperdbg-studio capture/);
  }, 60_000);
});
