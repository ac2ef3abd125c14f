// The session in VMI mode against the simulator through a real pty: the connect sequence (spec
// §2.1, §2.6), registering, listing, enabling, disabling and clearing events (§4), records to
// the sink, the ID consumption rule across failures (§3.1), mute (§2.7), hostile console input,
// and command timeouts. Expected protocol strings are the spec's.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/result';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { HOSTILE_CONSOLE_INPUT } from '../../helpers/sessionCorpus';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';

/** The seed's ImageFileName action (the seed, buffer-records.md §6): returns a pointer in RAX. */
const SEED_CODE = '65488B042588010000488B80B8000000480550040000C3';
const RECORDING: EventBinding = { kind: '!syscall', buffer: '18', code: SEED_CODE };
const SCRIPT = 'print($context);';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => new Error('expected a rejection'),
    (x: unknown) => x,
  );
  if (!(e instanceof AppError)) throw e;
  return e;
}

describe('VMI mode session', () => {
  let h: Harness;
  beforeAll(async () => {
    // The exact event lines and listings of the spec (§3, §4): records keep the console channel.
    h = createHarness({}, { recordChannel: 'console' });
  });
  afterAll(async () => h.dispose());

  it('connects with .connect local and load vmm, and reads the state from the output (§2.1, §2.6)', async () => {
    const s = await h.service.connect(simProfile('local', { seed: 3, pacing: 'fast', rate: 2000 }));
    expect(s).toMatchObject({
      status: 'ready',
      mode: 'vmi',
      vmmLoaded: true,
      muted: false,
      isSimulator: true,
      banner: { version: 'v0.23.0-sim' },
      capability: { returnsBuffers: true, capability: 'sim', source: 'banner' },
      generation: 1,
      error: null,
    });
    expect(s.banner?.build).toMatch(/^\d{8}\.\d{4}$/);
    expect(h.states.map((x) => x.status)).toEqual(
      expect.arrayContaining(['starting', 'connecting', 'ready']),
    );
    // The transcript file gets every byte (written asynchronously).
    const transcript = () => readFileSync(h.service.runStats()?.transcriptPath as string, 'utf8');
    await eventually(
      () => transcript().includes('vmm module is running...\n'),
      5_000,
      'transcript',
    );
    expect(transcript()).toContain('local debugging (vmi-mode)\n');
    expect(h.service.listEvents()).toEqual([]);
    expect(h.sink.started).toEqual([expect.objectContaining({ generation: 1 })]);
  });

  it('sends console commands and returns their output, delimited by the sync marker (§1.8)', async () => {
    const r = await h.service.command('.status');
    expect(r.lines).toEqual(["local debugging ('vmi mode')"]);
    expect(r.errors).toEqual([]);
    const bad = await h.service.command('no_such_command');
    expect(bad.errors).toEqual([
      { code: 'unknown-command', text: "err, couldn't resolve command at 'no_such_command'" },
    ]);
  });

  it('registers an event, lists it, and its records reach the sink with the generation', async () => {
    const ev = await h.service.applyEvent(RECORDING, {
      actionIds: ['a1'],
      actionNames: ['ImageFileName'],
      versionHashes: ['h1'],
    });
    expect(ev).toMatchObject({
      id: '0',
      kind: '!syscall',
      state: 'active',
      command: `!syscall buffer 18 code {${SEED_CODE}}`,
      // 24 + 46 characters: exactly 70, so the trailing space is cut and `...` added (§4).
      listed: `!syscall buffer 18 code ${SEED_CODE}...`,
      foreign: false,
      printsRecords: true,
      source: { actionNames: ['ImageFileName'] },
    });
    await eventually(() => h.sink.allRecords.length >= 20, 10_000, 'records');
    const r = h.sink.allRecords[0];
    expect(r?.generation).toBe(1);
    expect(r?.record.eventId).toBe(0);
    expect(r?.record.length).toBe(0x18);
  });

  it('disables, enables and clears, and follows the listing (§4)', async () => {
    let list = await h.service.setEventState('0', 'disable');
    expect(list.map((e) => e.state)).toEqual(['disabled']);
    expect((await h.service.command('events')).lines).toEqual([
      `0\t(disabled)\t    !syscall buffer 18 code ${SEED_CODE}...`,
    ]);
    // Disabled: no more records for it once what is in flight has arrived.
    await new Promise((r) => setTimeout(r, 200));
    const n = h.sink.allRecords.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sink.allRecords.length).toBe(n);
    list = await h.service.setEventState('0', 'enable');
    expect(list.map((e) => e.state)).toEqual(['active']);
    await eventually(() => h.sink.allRecords.length > n, 10_000, 'records after enabling');
    list = await h.service.setEventState('all', 'clear');
    expect(list.map((e) => e.state)).toEqual(['cleared']);
    expect((await h.service.command('events')).lines).toEqual(['no active/disabled events ']);
    await expect(h.service.setEventState('5', 'disable')).rejects.toThrow(/err, tag id is invalid/);
  });

  it('predicts IDs across failures by the consumption rule and confirms them (§3.1)', async () => {
    // ID 0 was used above. Failures before step 6 use none; after step 6 one each.
    expect((await h.service.command('!epthook')).errors[0]?.code).toBe('incorrect-use');
    expect(
      (await h.service.command('!syscall script {printf("%02x", 1);}')).errors.map((e) => e.code),
    ).toContain('script-syntax-error');
    expect((await h.service.command(`!syscall pid zz script {${SCRIPT}}`)).errors[0]?.code).toBe(
      'invalid-pid',
    ); // ID 1
    expect((await h.service.command(`!cpuid 1 2 script {${SCRIPT}}`)).errors[0]?.code).toBe(
      'unknown-parameter',
    ); // ID 2
    const foreign = await h.service.command(`!cpuid script {${SCRIPT}}`); // ID 3, typed
    expect(foreign.errors).toEqual([]);
    const ours = await h.service.applyEvent({
      kind: '!msrread',
      args: ['c0000082'],
      script: SCRIPT,
    });
    expect(ours.id).toBe('4');
    const list = h.service.listEvents().filter((e) => e.state !== 'cleared');
    expect(list.map((e) => [e.id, e.foreign, e.listed])).toEqual([
      ['3', true, `!cpuid script ${SCRIPT} `],
      ['4', false, `!msrread c0000082 script ${SCRIPT} `],
    ]);
    await h.service.setEventState('all', 'clear');
  });

  it('mutes with pause and unmutes with g, and never offers pause/continue in VMI mode (§2.7)', async () => {
    const paused = await rejection(h.service.pause());
    expect(paused.message).toMatch(/discard kernel messages.*use mute/);
    await expect(h.service.continue()).rejects.toThrow(/Debugger Mode/);
    expect((await h.service.mute(true)).muted).toBe(true);
    expect(h.service.terminalSnapshot().data).toContain('pausing...\n');
    expect((await h.service.mute(false)).muted).toBe(false);
    // Applying an event while muted: HyperDbg's auto-unpause resumes the messages (§2.7).
    await h.service.mute(true);
    await h.service.applyEvent({ kind: '!cpuid', script: SCRIPT });
    const s = h.service.getState();
    expect(s.muted).toBe(false);
    expect(s.notices.join('\n')).toMatch(/auto-unpause/);
    await h.service.setEventState('all', 'clear');
  });

  it('Ctrl+C with the vmm loaded pauses the CLI, which the state shows as muted (§2.7)', async () => {
    h.service.interrupt();
    await eventually(() => h.service.getState().muted, 5_000, 'the pause message');
    await h.service.mute(false);
  });

  it('never lets hostile console input reach the CLI as more than one command', async () => {
    const before = h.service.runStats()?.transcriptBytes ?? 0;
    for (const input of HOSTILE_CONSOLE_INPUT) {
      const e = await rejection(h.service.command(input));
      expect(e.code).toBe('invalid-input');
      expect(e.field).toBe('line');
    }
    await new Promise((r) => setTimeout(r, 100));
    // Nothing was sent, so the CLI printed nothing at all.
    expect(h.service.runStats()?.transcriptBytes).toBe(before);
    const r = await h.service.command('events');
    expect(r.lines).toEqual(['no active/disabled events ']);
    expect(h.service.getState().status).toBe('ready');
  });

  it('times out a slow command without confusing the next one', async () => {
    // `unload vmm` waits about a second for pending IRPs (spec §2.6).
    const e = await rejection(h.service.command('unload vmm', 100));
    expect(e.code).toBe('timeout');
    const r = await h.service.command('.status');
    expect(r.lines).toEqual(["local debugging ('vmi mode')"]);
    await eventually(() => !h.service.getState().vmmLoaded, 5_000, 'the unload to finish');
  });

  it('disconnects with exit; the state says so', async () => {
    const s = await h.service.disconnect();
    expect(s).toMatchObject({ status: 'disconnected', mode: 'none', error: null });
    expect(s.exit?.code).toBe(0);
    expect(h.sink.ended).toEqual([
      expect.objectContaining({ generation: 1, reason: expect.stringMatching(/by the user/) }),
    ]);
  });
});
