// The CLI dies mid-flood: the state says so with how it ended, every byte it printed is kept (the
// sink's records equal the records in the transcript, parsed on their own), pending commands
// fail with the reason, and a restart starts a new generation whose event IDs begin at 0.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';

const SEED_CODE = '65488B042588010000488B80B8000000480550040000C3';
const RECORDING: EventBinding = { kind: '!syscall', buffer: '18', code: SEED_CODE };

function kill(h: Harness): void {
  const pid = h.service.runStats()?.pid;
  if (pid === undefined) throw new Error('no process');
  process.kill(pid, 'SIGKILL');
}

describe('a CLI crash mid-flood, and restart', () => {
  let h: Harness;
  beforeAll(() => {
    // The console transcript holds every record only on the console channel.
    h = createHarness({}, { recordChannel: 'console' });
  });
  afterAll(async () => h.dispose());

  it('keeps everything received and says why the CLI is gone', async () => {
    await h.service.connect(simProfile('local', { seed: 9, pacing: 'fast', rate: 200_000 }));
    await h.service.applyEvent(RECORDING);
    await eventually(() => h.sink.allRecords.length >= 5_000, 20_000, 'a flood of records');
    kill(h);
    await eventually(() => h.service.getState().status === 'lost', 10_000, 'the lost state');
    const s = h.service.getState();
    expect(s.exit?.signal).toBe(9);
    expect(s.error).toMatch(/the simulator ended unexpectedly \(killed by signal 9 \(SIGKILL\)\)/);
    expect(s.error).toMatch(/everything it printed is kept/);
    expect(s.mode).toBe('none');
    expect(h.sink.ended).toEqual([
      expect.objectContaining({ generation: 1, reason: expect.stringMatching(/unexpectedly/) }),
    ]);

    // Nothing lost: the transcript holds every byte; parsed on its own it has the same records.
    const stats = h.service.runStats();
    const bytes = readFileSync(stats?.transcriptPath as string);
    expect(bytes.length).toBe(stats?.transcriptBytes);
    const parser = createOutputParser();
    let inTranscript = 0;
    let last: Uint8Array | null = null;
    for (let off = 0; off < bytes.length; off += 65_536)
      for (const item of parser.push(bytes.subarray(off, off + 65_536)))
        if (item.type === 'record') {
          inTranscript++;
          last = item.bytes.slice();
        }
    for (const item of parser.end()) if (item.type === 'record') inTranscript++;
    const received = h.sink.allRecords;
    expect(received.length).toBe(inTranscript);
    expect(received.length).toBe(stats?.forwarded.records);
    expect(received[received.length - 1]?.record.bytes).toEqual(last);
    expect(received.every((r) => r.generation === 1)).toBe(true);
    // The console's recent output, records shown, ends as the transcript does; by default its
    // record lines are kept out (the log has them), the line cut by the kill is not.
    const tail = bytes.subarray(bytes.length - 2000).toString('utf8');
    h.service.terminal.setShowRecords(true);
    expect(h.service.terminalSnapshot().data.endsWith(tail.slice(10))).toBe(true);
    h.service.terminal.setShowRecords(false);
    const hidden = h.service.terminalSnapshot().data;
    expect(hidden).not.toMatch(/(^|HyperDbg> )HDBG1 [0-9a-f ]+\n/m);
    const cut = tail.slice(tail.lastIndexOf('\n') + 1);
    expect(hidden.endsWith(cut)).toBe(true);
    // A lost session takes no commands.
    await expect(h.service.command('events')).rejects.toThrow(/connect first/);
  });

  it('restarts: a new generation, event IDs from 0, records stamped with it', async () => {
    const before = h.sink.allRecords.length;
    const s = await h.service.restart();
    expect(s).toMatchObject({ status: 'ready', generation: 2, error: null, exit: null });
    expect(h.service.listEvents()).toEqual([]);
    const ev = await h.service.applyEvent(RECORDING);
    expect(ev.id).toBe('0');
    await eventually(() => h.sink.allRecords.length >= before + 100, 20_000, 'new records');
    expect(h.sink.allRecords.slice(before).every((r) => r.generation === 2)).toBe(true);
    expect(h.sink.started.map((m) => m.generation)).toEqual([1, 2]);
  });

  it('fails a command in flight with the reason when the CLI dies', async () => {
    // `unload vmm` takes about a second (spec §2.6): kill the CLI while it runs.
    const pending = h.service.command('unload vmm', 10_000);
    await new Promise((r) => setTimeout(r, 200));
    kill(h);
    await expect(pending).rejects.toThrow(
      /the simulator ended \(killed by signal 9 \(SIGKILL\)\) before answering/,
    );
    await eventually(() => h.service.getState().status === 'lost', 10_000, 'the lost state');
    const again = await h.service.restart();
    expect(again).toMatchObject({ status: 'ready', generation: 3 });
    await h.service.disconnect();
  });
});
