// The same session against the simulator playing Windows' ConPTY (`--conpty`): conhost's echo
// of each typed line, VT sequences, `\r\n` and hard wraps at the pty width (spec §1.7). The
// command queue's markers, the facts and the event registry must not notice the difference.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';

const SEED_CODE = '65488B042588010000488B80B8000000480550040000C3';
const RECORDING: EventBinding = { kind: '!syscall', buffer: '18', code: SEED_CODE };
const ESC = String.fromCharCode(0x1b);

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

describe('session through ConPTY artefacts (--conpty)', () => {
  it('VMI: connects, answers commands without their echo, registers, lists and records', async () => {
    // Records through ConPTY's console: the console channel.
    h = createHarness({}, { recordChannel: 'console' });
    const s = await h.service.connect(
      simProfile('local', { seed: 4, pacing: 'fast', rate: 5000 }),
      ['--conpty'],
    );
    expect(s).toMatchObject({ status: 'ready', mode: 'vmi', vmmLoaded: true });
    const raw = h.service.terminalSnapshot().data;
    expect(raw).toContain(`${ESC}[`);
    // conhost echoes both typed-ahead lines: the command and its sync marker (§1.7, §1.8).
    expect(raw).toMatch(/\.connect local\r\n__hdbg_sync_[0-9a-f]{16}\r\n/);
    const r = await h.service.command('.status');
    expect(r.lines).toEqual(["local debugging ('vmi mode')"]);
    const ev = await h.service.applyEvent(RECORDING);
    expect(ev).toMatchObject({ id: '0', state: 'active', foreign: false });
    expect(ev.listed).toBe(`!syscall buffer 18 code ${SEED_CODE}...`);
    await eventually(() => h!.sink.allRecords.length >= 50, 10_000, 'records');
    expect(h.sink.allMalformed).toEqual([]);
    const list = await h.service.setEventState('0', 'disable');
    expect(list[0]?.state).toBe('disabled');
    await expect(h.service.command('g\r\ng')).rejects.toThrow(/line break/);
    // A line longer than the pty is wide comes back hard-wrapped and is still one echo.
    const long = `!cpuid script {printf("${'x'.repeat(9000)}\\n");}`;
    const longEv = await h.service.applyEvent({
      kind: '!cpuid',
      script: `printf("${'x'.repeat(9000)}\\n");`,
    });
    expect(longEv.command).toBe(long);
    expect(longEv.listed).toBe(`!cpuid script printf("${'x'.repeat(48)}...`);
    const d = await h.service.disconnect();
    expect(d.status).toBe('disconnected');
  });

  it('Debugger Mode: pause, apply, continue with echo and VT sequences', async () => {
    // Records through ConPTY's console: the console channel.
    h = createHarness({}, { recordChannel: 'console' });
    const s = await h.service.connect(
      simProfile('namedPipe', { seed: 6, pacing: 'fast', rate: 2000 }),
      ['--conpty'],
    );
    expect(s).toMatchObject({ mode: 'debugger', debuggee: 'running' });
    const ev = await h.service.applyEvent({
      kind: '!syscall',
      script: 'printf("HDBG1 %x %x %llx 8 %llx\\n", $event_id, $core, $context, $pid);',
    });
    expect(ev.id).toBe('0');
    expect(h.service.getState().debuggee).toBe('running');
    await eventually(() => h!.sink.allRecords.length >= 10, 10_000, 'records');
    const paused = await h.service.pause();
    expect(paused.debuggee).toBe('paused');
    expect((await h.service.command('events')).lines).toEqual([
      '0\t(enabled)\t    !syscall script printf("HDBG1 %x %x %llx 8 %llx\\n", $event_id, $core, ...',
    ]);
    expect((await h.service.disconnect()).status).toBe('disconnected');
  });
});
