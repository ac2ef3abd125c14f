// `hyperdbg-studio capture` end to end (the built CLI, the built simulator, a real pty): every
// record the simulator says it printed arrives (emitted == records, lost=0 in fast pacing), at
// realistic pacing the loss counted from HDBG2 sequence gaps equals the simulator's own count, the
// out file holds exactly the record objects `parse` gives for the session's transcript, and
// usage errors name the option or binding field with exit status 2.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, captureSummaryOf, runCli } from '../../helpers/cliRun';
import { payloadToBatchScript, payloadToRecordScript } from '../../../shared/hyperdbg/recordScript';
import { tempDir } from '../../helpers/paths';

const SEED_CODE = '65488B042588010000488B80B8000000480550040000C3';
const RECORDING = JSON.stringify({ kind: '!syscall', buffer: '18', code: SEED_CODE });

describe('hyperdbg-studio capture', () => {
  // auto: records travel through the capture's output sink (docs/hyperdbg-v0.23.md §6.4), whose
  // raw bytes are kept in a transcript of their own; console: through the CLI's console.
  for (const channel of ['auto', 'console'] as const)
    it(`captures a flood in fast pacing with nothing lost; the out file is what parse gives (records: ${channel})`, async () => {
      const dir = tempDir('hds-capture-');
      const out = join(dir, 'records.jsonl');
      const r = await runCli([
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
        '--records',
        channel,
        '--out',
        out,
        '--data-dir',
        dir,
      ]);
      expect(r.stderr).toMatch(
        channel === 'auto'
          ? /event 0: !syscall buffer 18 output \{hds_[0-9a-f]{8}\} code \{/
          : /event 0: !syscall buffer 18 code \{/,
      );
      expect(r.stderr).toMatch(
        channel === 'auto' ? /^records: forwarded \(tcp, sink hds_/m : /^records: console /m,
      );
      expect(r.code).toBe(0);
      const { records, malformed, rate, emitted, dropped, pending, inFlight } = captureSummaryOf(
        r.stdout,
      );
      // Returned buffers are HDBG1 lines: no sequence numbers, so the capture cannot count loss.
      expect(r.stdout).toMatch(/ lost=unknown /);
      expect(inFlight).toBe(0);
      expect(pending).toBe(0);
      expect(records).toBeGreaterThan(1000);
      expect(emitted).toBe(records);
      expect(dropped).toBe(0);
      expect(malformed).toBe(0);
      expect(rate).toBeGreaterThan(0);

      const lines = readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      expect(lines.length).toBe(records);
      // `parse` on the transcript of the stream the records took gives the same record objects,
      // in the same order; the other stream has none.
      const sessions = join(dir, 'sessions');
      // Beside the transcripts lies the capture's session database (`sessions list` reads it).
      expect(readdirSync(sessions).filter((n) => n.endsWith('.sqlite3')).length).toBe(1);
      const logs = readdirSync(sessions).filter((n) => n.endsWith('.log'));
      const sinkLog = logs.filter((f) => /-sink-hds_[0-9a-f]{8}\.log$/.test(f));
      const consoleLog = logs.filter((f) => !f.includes('-sink-'));
      expect(consoleLog.length).toBe(1);
      expect(sinkLog.length).toBe(channel === 'auto' ? 1 : 0);
      const parseRecords = (file: string) => {
        const parsed = spawnSync(process.execPath, [CLI_BIN, 'parse'], {
          input: readFileSync(join(sessions, file)),
          encoding: 'utf8',
          maxBuffer: 1 << 30,
        });
        expect(parsed.status).toBe(0);
        return parsed.stdout.split('\n').filter((l) => l.startsWith('{"type":"record"'));
      };
      const fromConsole = parseRecords(consoleLog[0] as string);
      const fromParse = channel === 'auto' ? parseRecords(sinkLog[0] as string) : fromConsole;
      if (channel === 'auto') expect(fromConsole).toEqual([]);
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
    const r = await runCli([
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
    const { records, emitted, dropped: lost } = captureSummaryOf(r.stdout);
    expect(records).toBeGreaterThan(100);
    expect(emitted).toBe(records);
    expect(lost).toBe(0);
  }, 60_000);

  it('refuses bad usage with exit status 2, naming the option or the binding field', async () => {
    const none = await runCli(['capture']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/at least one --binding/);
    const bad = await runCli([
      'capture',
      '--binding',
      '{"kind":"!syscall","buffer":"3e8","code":"90"}',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^binding 1: buffer: /m);
    const json = await runCli(['capture', '--binding', '{nope']);
    expect(json.stderr).toMatch(/--binding 1: not valid JSON/);
    const connect = await runCli([
      'capture',
      '--binding',
      RECORDING,
      '--connect',
      'serial:COM9:115200',
    ]);
    expect(connect.code).toBe(2);
    expect(connect.stderr).toMatch(/--connect: /);
    const help = await runCli(['capture', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: hyperdbg-studio capture/);
  }, 60_000);

  // The log form of the seed's ImageFileName as the binder binds it (recordScript.ts, buffer 200).
  const LOG_FORM = JSON.stringify({
    kind: '!syscall',
    buffer: '200',
    script: payloadToRecordScript({
      length: 0xf,
      words: ['dq($proc+0x450)', 'dq($proc+0x458)'],
      origin: 'derived',
    }),
  });

  it('at realistic pacing on a stock target, counts what the ring overwrote exactly as the simulator does', async () => {
    const dir = tempDir('hds-capture-');
    const r = await runCli([
      'capture',
      '--binding',
      LOG_FORM,
      '--duration',
      '3',
      '--pacing',
      'realistic',
      '--rate',
      '1500',
      '--seed',
      '5',
      '--stock',
      '--no-transcript',
      '--no-session',
      '--data-dir',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = captureSummaryOf(r.stdout);
    // v0.23's reader: about 33 packets/s (docs/hyperdbg-v0.23.md §6.1), far below 1500 triggers/s.
    expect(s.rate).toBeGreaterThan(10);
    expect(s.rate).toBeLessThan(40);
    expect(s.malformed).toBe(0);
    // The capture drained the target: nothing in flight, nothing pending in the simulator.
    expect(s.inFlight).toBe(0);
    expect(s.pending).toBe(0);
    expect(s.emitted).toBe(s.records);
    // Gaps in the sequence numbers are exactly the packets the 1000-slot ring overwrote.
    expect(s.dropped).toBeGreaterThan(100);
    expect(s.lost).toBe(s.dropped);
  }, 120_000);

  it('Debugger Mode over a slow serial link: the buffer is reserved with prealloc, every record is numbered, and none is lost (the core waits)', async () => {
    const dir = tempDir('hds-capture-');
    const out = join(dir, 'records.jsonl');
    const r = await runCli([
      'capture',
      '--binding',
      LOG_FORM,
      '--connect',
      'serial:COM2:9600',
      '--duration',
      '3',
      '--drain',
      '20',
      '--pacing',
      'realistic',
      '--rate',
      '3000',
      '--seed',
      '8',
      '--stock',
      '--out',
      out,
      '--data-dir',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\(debugger mode\)/);
    const s = captureSummaryOf(r.stdout);
    // 9600 baud carries 960 bytes/s: a ~75-character record and its ~33 bytes of framing make
    // about 9 records/s, far below 3000 triggers/s; without prealloc the kernel would drop the
    // script action and nothing would arrive.
    expect(s.records).toBeGreaterThan(10);
    expect(s.rate).toBeLessThan(20);
    expect(s.malformed).toBe(0);
    expect(s.dropped).toBe(0);
    expect(s.pending).toBe(0);
    expect(s.emitted).toBe(s.records);
    expect(s.lost).toBe(0);
    expect(s.inFlight).toBe(0);
    // The numbers themselves prove it: per core they run 1, 2, 3... with no gap.
    const byCore = new Map<number, number[]>();
    for (const line of readFileSync(out, 'utf8').trim().split('\n')) {
      const rec = JSON.parse(line) as { core: string; seq?: string };
      expect(rec.seq, line).toMatch(/^[0-9a-f]+$/);
      const core = parseInt(rec.core, 16);
      byCore.set(core, [...(byCore.get(core) ?? []), parseInt(rec.seq as string, 16)]);
    }
    let total = 0;
    for (const seqs of byCore.values()) {
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      total += seqs.length;
    }
    expect(total).toBe(s.records);
    // The session's transcript (the CLI's output) shows the reservation before the event.
    const sessions = join(dir, 'sessions');
    const transcript = readdirSync(sessions).find(
      (f) => f.endsWith('.log') && !f.includes('-sink-'),
    );
    expect(transcript).toBeDefined();
    const text = readFileSync(join(sessions, transcript as string), 'utf8');
    expect(text).toMatch(
      /the requested pools are allocated and reserved[\s\S]*\(enabled\)\s+!syscall buffer 200/,
    );
  }, 120_000);

  it('batched (K records per printf) at realistic pacing: gaps count K records per overwritten packet, a partial batch is in flight', async () => {
    const k = 4;
    const dir = tempDir('hds-capture-');
    const binding = JSON.stringify({
      kind: '!syscall',
      buffer: '200',
      script: payloadToBatchScript(
        { length: 0xf, words: ['dq($proc+0x450)', 'dq($proc+0x458)'], origin: 'derived' },
        k,
        'ct',
      ),
    });
    const r = await runCli([
      'capture',
      '--binding',
      binding,
      '--duration',
      '4',
      '--pacing',
      'realistic',
      '--rate',
      '5000',
      '--seed',
      '6',
      '--stock',
      '--no-transcript',
      '--no-session',
      '--data-dir',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = captureSummaryOf(r.stdout);
    expect(s.malformed).toBe(0);
    // One packet carries k records: far above the per-event form's ~33 records/s.
    expect(s.rate).toBeGreaterThan(2 * 33);
    expect(s.records % k).toBe(0);
    expect(s.emitted * k).toBe(s.records);
    expect(s.pending).toBe(0);
    // The batch not yet full when the events were disabled stays in the target's globals.
    expect(s.inFlight).toBe(k - 1);
    expect(s.dropped).toBeGreaterThan(10);
    expect(s.lost).toBe(s.dropped * k);
  }, 120_000);

  it('refuses custom code on a stock target without --allow-nx-crash; with it, the bug check ends the capture and is named', async () => {
    const dir = tempDir('hds-capture-');
    const args = [
      'capture',
      '--binding',
      RECORDING,
      '--duration',
      '5',
      '--pacing',
      'fast',
      '--rate',
      '5000',
      '--stock',
      '--no-transcript',
      '--data-dir',
      dir,
    ];
    const refused = await runCli(args);
    expect(refused.code).toBe(2);
    // The evidence of docs/hyperdbg-v0.23.md §5.6 and what to do instead.
    expect(refused.stderr).toMatch(
      /binding 1 has custom or condition code, refused on this target/,
    );
    expect(refused.stderr).toMatch(/ExAllocatePool2\(POOL_FLAG_NON_PAGED\)/);
    expect(refused.stderr).toMatch(/0xFC ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY/);
    expect(refused.stderr).toMatch(/docs\/hyperdbg-v0\.23\.md §5\.6/);
    expect(refused.stderr).toMatch(/Pass --allow-nx-crash/);
    expect(refused.stderr).not.toMatch(/^event 0:/m);

    const crashed = await runCli([...args, '--allow-nx-crash']);
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toMatch(/^event 0: !syscall buffer 18 /m);
    expect(crashed.stderr).toMatch(
      /the target bug-checked with 0xFC ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY right after event 0 with custom code triggered/,
    );
    expect(crashed.stderr).toMatch(/exit code 252/);
  }, 60_000);
});
