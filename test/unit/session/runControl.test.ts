// Run control driven through its port with a stand-in CLI: no input while a Debugger-Mode
// debuggee runs (spec §1.8), blocking `g`, VMI `g` ending a mute (§2.7), Ctrl+C before the first
// command (§1.3), and pause-fn-continue around event changes.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/result';
import type { SessionState } from '../../../shared/contract/session';
import { INITIAL_FACTS, type CliFacts } from '../../../electron/host/session/cliFacts';
import type { CommandOutcome, CommandRequest } from '../../../electron/host/session/commandQueue';
import { EventRegistry } from '../../../electron/host/session/eventRegistry';
import { RunControl, type ControlPort } from '../../../electron/host/session/runControl';

const RUN = { id: 'run' } as const;
type StandInRun = typeof RUN;

function rig(start: Partial<CliFacts>, o: { commandSent?: boolean; gFails?: boolean } = {}) {
  let facts: CliFacts = { ...INITIAL_FACTS, ...start };
  const log = {
    sent: [] as CommandRequest[],
    interrupts: 0,
    notices: [] as string[],
    disconnects: 0,
  };
  const port: ControlPort<StandInRun> = {
    registry: new EventRegistry(),
    pauseMs: 100,
    current: () => RUN,
    requireReady: () => RUN,
    exclusive: (fn) => fn(),
    send: async (_r, req): Promise<CommandOutcome> => {
      log.sent.push(req);
      const running = req.line === 'g' && facts.mode === 'debugger' && o.gFails !== true;
      if (running) facts = { ...facts, debuggee: 'running' };
      return {
        result: { command: req.line, lines: [], errors: [], durationMs: 0 },
        items: [],
        endedBy: running ? 'running' : 'marker',
      };
    },
    interrupt: () => {
      log.interrupts++;
      if (facts.mode === 'debugger') facts = { ...facts, debuggee: 'paused' };
    },
    commandSent: () => o.commandSent ?? true,
    facts: () => facts,
    amendFacts: (patch) => void (facts = { ...facts, ...patch }),
    waitFor: async (test) => {
      if (!test(facts, { type: 'prompt', mode: 'kernel', text: '0: kHyperDbg> ', core: 0 }))
        throw new AppError('timeout', 'no prompt');
    },
    capability: () => null,
    disconnect: async () => void log.disconnects++,
    state: () => ({}) as SessionState,
    addNotice: (t) => void log.notices.push(t),
    changed: () => undefined,
    eventsChanged: () => undefined,
    refreshEvents: async () => undefined,
  };
  return { control: new RunControl(port), log, facts: () => facts };
}

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  const e = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

const DEBUGGER_RUNNING = { mode: 'debugger', debuggee: 'running' } as const;
const DEBUGGER_PAUSED = { mode: 'debugger', debuggee: 'paused' } as const;

describe('run control', () => {
  it('sends nothing while a Debugger-Mode debuggee runs: the CLI reads no input (spec §1.8)', async () => {
    const { control, log } = rig(DEBUGGER_RUNNING);
    const e = await refusal(control.command('lm'));
    expect(e.code).toBe('session');
    expect(log.sent).toEqual([]);
  });

  it("sends Debugger Mode's `g` as a blocking command, VMI's `g` as an ordinary one", async () => {
    const dbg = rig(DEBUGGER_PAUSED);
    await dbg.control.command('g');
    expect(dbg.log.sent[0]?.completion).toBe('blocking');
    const vmi = rig({ mode: 'vmi', muted: true });
    await vmi.control.command('g');
    expect(vmi.log.sent[0]?.completion).toBe('marker');
    // VMI `g` prints nothing; it only turns kernel messages back on (spec §2.7).
    expect(vmi.facts().muted).toBe(false);
  });

  it('hands `exit` to disconnect instead of the CLI', async () => {
    const { control, log } = rig({ mode: 'vmi' });
    await control.command('exit');
    expect(log.disconnects).toBe(1);
    expect(log.sent).toEqual([]);
  });

  it('refuses Ctrl+C before the first command, which would end hyperdbg-cli (spec §1.3)', async () => {
    const before = rig({ mode: 'vmi' }, { commandSent: false });
    expect((await refusal(() => before.control.interrupt())).code).toBe('session');
    expect(before.log.interrupts).toBe(0);
    const after = rig({ mode: 'vmi' });
    after.control.interrupt();
    expect(after.log.interrupts).toBe(1);
  });

  it('keeps mute to VMI mode and pause/continue to Debugger Mode', async () => {
    expect((await refusal(rig(DEBUGGER_PAUSED).control.mute(true))).code).toBe('session');
    expect((await refusal(rig({ mode: 'vmi' }).control.pause())).code).toBe('session');
  });

  it('halts a running debuggee around an operation and lets it run again', async () => {
    const { control, log, facts } = rig(DEBUGGER_RUNNING);
    const seen: string[] = [];
    const out = await control.withDebuggeeHalted(RUN, async () => {
      seen.push(facts().debuggee);
      return 42;
    });
    expect(out).toBe(42);
    expect(seen).toEqual(['paused']);
    expect(log.interrupts).toBe(1);
    expect(log.sent.map((r) => r.line)).toEqual(['g']);
    expect(facts().debuggee).toBe('running');
  });

  it("continues after a failed operation and reports the operation's error, not the continue's", async () => {
    const { control, log } = rig(DEBUGGER_RUNNING, { gFails: true });
    const e = await refusal(
      control.withDebuggeeHalted(RUN, async () => {
        throw new AppError('session', 'the operation failed');
      }),
    );
    expect(e.message).toBe('the operation failed');
    expect(log.sent.map((r) => r.line)).toEqual(['g']);
    // `g` did not make it run: the user is told the debuggee stays paused.
    expect(log.notices).toHaveLength(1);
  });
});
