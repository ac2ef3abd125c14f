// The session in Debugger Mode (named pipe) against the simulator through a real pty: connect
// (spec §2.3), Ctrl+C pause and `g` continue (§2.7), pause-apply-continue as one operation,
// breaks that halt the debuggee on their own, clear-after-continue (§4), and the 20 regular
// instant events (§11.1). Expected protocol strings are the spec's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/result';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';

const SCRIPT_RECORD = 'printf("HDBG1 %x %x %llx 8 %llx\\n", $event_id, $core, $context, $pid);';

function console(h: Harness): string {
  return h.service.terminalSnapshot().data;
}

describe('Debugger Mode session (named pipe)', () => {
  let h: Harness;
  beforeAll(() => {
    // The exact event lines and listings of the spec (§3, §4): records keep the console channel.
    h = createHarness({}, { recordChannel: 'console' });
  });
  afterAll(async () => h.dispose());

  it('connects with .debug remote namedpipe and the default pipe; the debuggee runs (§2.3, §7)', async () => {
    const s = await h.service.connect(
      simProfile('namedPipe', { seed: 5, pacing: 'fast', rate: 3000 }),
    );
    expect(s).toMatchObject({ status: 'ready', mode: 'debugger', debuggee: 'running' });
    const out = console(h);
    expect(out).toContain('waiting for debuggee to connect...\n');
    expect(out).toMatch(/\nconnected to debuggee [^\n]*\ngetting symbol details\.\.\.\n/);
    expect(out).toContain('press CTRL+C to pause the debuggee\ndebuggee is running...\n');
    // The CLI reads nothing while the debuggee runs (§1.8): commands are refused, not queued.
    await expect(h.service.command('events')).rejects.toThrow(/reads no input until it pauses/);
    await expect(h.service.refreshEvents()).rejects.toThrow(/pause/);
    await expect(h.service.mute(true)).rejects.toThrow(/VMI mode/);
  });

  it('pauses with Ctrl+C (kernel prompt, core from the prompt) and continues with g (§2.7)', async () => {
    const paused = await h.service.pause();
    expect(paused).toMatchObject({ debuggee: 'paused', mode: 'debugger' });
    expect(paused.currentCore).toBe(0);
    // A disassembly line, then "\n" and `%x: kHyperDbg> ` (§2.7).
    expect(console(h)).toMatch(/[0-9a-f]{8}`[0-9a-f]{8} {4}[^\n]+\n\n0: kHyperDbg> /);
    expect((await h.service.command('.status')).lines).toEqual([
      "remote debugging - debugger ('debugger mode')",
    ]);
    const running = await h.service.continue();
    expect(running.debuggee).toBe('running');
  });

  it("a console `pause` in Debugger Mode is forwarded and blocks: it ends at 'debuggee is running...', not at a timeout", async () => {
    await h.service.pause();
    const t0 = Date.now();
    const r = await h.service.command('pause');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.lines[r.lines.length - 1]).toBe('debuggee is running...');
    expect(h.service.getState()).toMatchObject({ debuggee: 'running', queued: 0 });
  });

  it('applies an event while the debuggee runs as pause, apply, continue (§1.8, §2.7)', async () => {
    const before = console(h).length;
    const ev = await h.service.applyEvent({ kind: '!syscall', script: SCRIPT_RECORD });
    expect(ev).toMatchObject({ id: '0', state: 'active', foreign: false, printsRecords: true });
    expect(ev.listed).toBe(
      '!syscall script printf("HDBG1 %x %x %llx 8 %llx\\n", $event_id, $core, ...',
    );
    expect(h.service.getState().debuggee).toBe('running');
    // In order: paused at a kernel prompt, the event, the listing, then g (§2.7).
    const seq = console(h).slice(before);
    const at = (s: string) => {
      const i = seq.indexOf(s);
      expect(i, s).toBeGreaterThanOrEqual(0);
      return i;
    };
    const prompt = at('0: kHyperDbg> ');
    const listed = at('0\t(enabled)\t    !syscall script');
    const resumed = seq.lastIndexOf('debuggee is running...\n');
    expect(prompt).toBeLessThan(listed);
    expect(listed).toBeLessThan(resumed);
    await eventually(() => h.sink.allRecords.length >= 10, 10_000, 'records over the link');
    expect(h.sink.allRecords[0]?.record).toMatchObject({ eventId: 0, length: 8 });
  });

  it('clears in Debugger Mode only when the debuggee continues (§4)', async () => {
    const list = await h.service.setEventState('0', 'clear');
    // setEventState paused, cleared and continued: the clear is done.
    expect(list.find((e) => e.id === '0')?.state).toBe('cleared');
    expect(console(h)).toContain(
      'the event is successfully cleared, but please note in the Debugger Mode (current mode), HyperDbg cannot clear events instantly.',
    );
    await h.service.pause();
    await h.service.applyEvent({ kind: '!cpuid', script: 'print($context);' });
    const pending = await h.service.setEventState('1', 'clear');
    expect(pending.find((e) => e.id === '1')?.state).toBe('clear-pending');
    await h.service.continue();
    expect(h.service.listEvents().find((e) => e.id === '1')?.state).toBe('cleared');
  });

  it('follows a debuggee that halts on its own at a break event (§2.7)', async () => {
    // No action: the event breaks to the debugger (allowed in Debugger Mode, §3.7).
    const ev = await h.service.applyEvent({ kind: '!syscall' });
    await eventually(() => h.service.getState().debuggee === 'paused', 10_000, 'the break');
    expect(console(h)).toMatch(new RegExp(`event 0x${ev.id} triggered \\(pre\\)\\n`));
    await h.service.setEventState(ev.id, 'clear');
    await h.service.continue();
  });

  it('refuses the 21st event with the reason, and takes it once a slot is freed (§11.1)', async () => {
    await h.service.pause();
    await h.service.setEventState('all', 'clear').catch(() => undefined);
    await h.service.continue();
    await h.service.pause();
    const live = () => h.service.listEvents().filter((e) => e.state !== 'cleared').length;
    expect(live()).toBe(0);
    for (let i = 0; i < 20; i++)
      await h.service.applyEvent({ kind: '!cpuid', args: [i.toString(16)], script: 'print(1);' });
    expect(live()).toBe(20);
    const e = await h.service
      .applyEvent({ kind: '!cpuid', args: ['99'], script: 'print(1);' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toMatch(
      /at most 20 events without 'prealloc' \(docs\/hyperdbg-v0\.23\.md §11\.1\)/,
    );
    // A cleared event holds its slot until the debuggee continues (§4).
    const firstId = h.service.listEvents().find((x) => x.state === 'active')?.id as string;
    await h.service.setEventState(firstId, 'clear');
    await expect(
      h.service.applyEvent({ kind: '!cpuid', args: ['99'], script: 'print(1);' }),
    ).rejects.toThrow(/at most 20/);
    await h.service.continue();
    const ok = await h.service.applyEvent({ kind: '!cpuid', args: ['99'], script: 'print(1);' });
    expect(ok.state).toBe('active');
  });

  it('disconnects from a running debuggee: pause, then exit (§1.8, §2.8)', async () => {
    expect(h.service.getState().debuggee).toBe('running');
    const s = await h.service.disconnect();
    expect(s).toMatchObject({ status: 'disconnected', error: null });
    expect(s.exit?.code).toBe(0);
  });
});
