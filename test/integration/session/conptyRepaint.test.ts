// The session against the simulator painting like a re-rendering conhost (`--conpty-repaint`)
// through a real pty: prompts with their trailing space trimmed, the typed line repainted with
// its prompt (CUP, CR, CHA, erase-in-line), TABs expanded. Connecting, commands, events and
// records, and Debugger Mode's blocking commands must work as with plain --conpty.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';

const ESC = '\x1b';
/** ESC as a regular expression writes it (a literal control character is a lint error). */
const E = '\\x1b';
const re = (source: string): RegExp => new RegExp(source);
const SCRIPT_RECORD = 'printf("HDBG1 %x %x %llx 8 %llx\\n", $event_id, $core, $context, $pid);';

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

describe('session through conhost repaints (--conpty-repaint)', () => {
  it('VMI: connects, answers commands, registers, lists TAB-expanded rows and records', async () => {
    h = createHarness();
    const s = await h.service.connect(
      simProfile('local', { seed: 11, pacing: 'fast', rate: 3000 }),
      ['--conpty-repaint'],
    );
    expect(s).toMatchObject({ status: 'ready', mode: 'vmi', vmmLoaded: true });
    const raw = h.service.terminalSnapshot().data;
    // The forms are really on the wire: a trimmed prompt with the cursor put after it, and the
    // typed lines repainted (with their prompt) by CUP, CR and CHA in turn.
    expect(raw).toMatch(re(`HyperDbg>${E}\\[K${E}\\[\\d+;11H`));
    expect(raw).toMatch(re(`${E}\\[\\d+;1HHyperDbg> \\.connect local${E}\\[K\\r\\n`));
    expect(raw).toMatch(re(`\\r__hdbg_sync_0001${E}\\[K\\r\\n`));
    expect(raw).toMatch(re(`${E}\\[1GHyperDbg> load vmm${E}\\[K\\r\\n`));
    expect((await h.service.command('.status')).lines).toEqual(["local debugging ('vmi mode')"]);
    const ev = await h.service.applyEvent({ kind: '!syscall', script: SCRIPT_RECORD });
    expect(ev).toMatchObject({ id: '0', state: 'active', foreign: false });
    const listed = await h.service.command('events');
    expect(listed.errors).toEqual([]);
    expect(h.service.terminalSnapshot().data).toContain(`0${ESC}[7C(enabled)${ESC}[11C!syscall`);
    expect(h.service.listEvents().map((e) => [e.id, e.state, e.foreign])).toEqual([
      ['0', 'active', false],
    ]);
    await eventually(() => h!.sink.allRecords.length >= 20, 10_000, 'records');
    expect(h.sink.allMalformed).toEqual([]);
    const run = h.service.runStats();
    expect(run?.parser.repaints).toBeGreaterThan(0);
    // One prompt per prompt the CLI printed: the repaints were not counted again.
    expect(run?.parser.prompts).toBeLessThan((run?.parser.echoes ?? 0) + 2);
    expect((await h.service.disconnect()).status).toBe('disconnected');
  });

  it('Debugger Mode: the blocking .debug remote, a console pause and g end on their own text, not on a repainted prompt', async () => {
    h = createHarness();
    const s = await h.service.connect(
      simProfile('namedPipe', { seed: 12, pacing: 'fast', rate: 2000, osBuild: 19045 }),
      ['--conpty-repaint'],
    );
    expect(s).toMatchObject({ status: 'ready', mode: 'debugger', debuggee: 'running' });
    expect(s.debuggeeOs?.build).toBe(19045);
    expect(h.service.terminalSnapshot().data).toMatch(
      re(`HyperDbg> \\.debug remote namedpipe [^\\r]*${E}\\[K\\r\\n`),
    );
    const paused = await h.service.pause();
    expect(paused).toMatchObject({ debuggee: 'paused', currentCore: 0 });
    expect((await h.service.command('.status')).lines).toEqual([
      "remote debugging - debugger ('debugger mode')",
    ]);
    const t0 = Date.now();
    const r = await h.service.command('pause');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.lines[r.lines.length - 1]).toBe('debuggee is running...');
    expect(h.service.getState().debuggee).toBe('running');
    const ev = await h.service.applyEvent({ kind: '!syscall', script: SCRIPT_RECORD });
    expect(ev.id).toBe('0');
    expect(h.service.getState().debuggee).toBe('running');
    await eventually(() => h!.sink.allRecords.length >= 5, 10_000, 'records');
    expect((await h.service.disconnect()).status).toBe('disconnected');
  });
});
