// The connect sequence driven through its port with a stand-in CLI: what hyperdbg-cli prints
// (spec §1.2 banner, §2.1 `.connect local`, §2.3 `.debug remote`, §2.6 `load vmm`) goes through
// the real output parser; the stand-in records what the sequence sent, stopped and reported.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/result';
import type { SessionCapability, SessionStatus } from '../../../shared/contract/session';
import type { ParserItem } from '../../../shared/hyperdbg/items';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import type { ProfileDraft } from '../../../shared/model/actionTarget';
import { INITIAL_FACTS, reduceFacts, type CliFacts } from '../../../electron/host/session/cliFacts';
import type { CommandOutcome } from '../../../electron/host/session/commandQueue';
import { ConnectSequence, type ConnectPort } from '../../../electron/host/session/connectSequence';
import { connectSteps } from '../../../electron/host/session/launchPlan';
import type { SessionExit } from '../../../electron/host/session/runSupervisor';

const PROMPT = 'HyperDbg> ';
/** The banner's format (spec §1.2); the simulator's version carries `-sim`. */
const SIM_BANNER = 'HyperDbg Debugger [version: 0.23.0-sim, build: 20250101.1]\n';
const STOCK_BANNER = 'HyperDbg Debugger [version: 0.23.0, build: 20250101.1]\n';
const TIMEOUTS = { startupMs: 50, loadMs: 60, debuggeeConnectMs: 70 } as const;

const profile = (connection: ProfileDraft['connection']): ProfileDraft => ({
  name: 'target',
  cliPath: '',
  connection,
  workingDirectory: '',
  capability: 'auto',
});

interface StandInRun {
  cancelled: boolean;
  endedAt: number | null;
  exited: Promise<void>;
  recentLines: string[];
}

/** What the stand-in CLI does with a line: print text, or never answer. */
type Answer = string | { readonly timeout: true } | { readonly cancel: true };

interface RigOptions {
  /** Printed from start-up up to the first prompt (the prompt is not implied). */
  readonly startup: string;
  readonly answers?: Readonly<Record<string, Answer>>;
  /** The CLI ends before its first prompt, with this exit. */
  readonly exitsWith?: SessionExit;
  readonly canList?: boolean;
}

function rig(o: RigOptions) {
  const parser = createOutputParser();
  const run: StandInRun = {
    cancelled: false,
    endedAt: null,
    exited: Promise.resolve(),
    recentLines: [],
  };
  let facts: CliFacts = INITIAL_FACTS;
  const seen = (items: readonly ParserItem[]) => {
    for (const item of items) facts = reduceFacts(facts, item);
    return items;
  };
  const log = {
    sent: [] as string[],
    statuses: [] as SessionStatus[],
    error: 'left from before' as string | null,
    capability: null as SessionCapability | null,
    notices: [] as string[],
    stops: 0,
    refreshes: 0,
    exit: null as SessionExit | null,
  };
  const port: ConnectPort<StandInRun> = {
    timeouts: TIMEOUTS,
    waitFor: async (test, timeoutMs, what) => {
      const items = seen(parser.push(o.startup));
      for (const item of items) {
        if (item.type !== 'prompt' && 'text' in item) run.recentLines.push(item.text);
        if (test(facts, item)) return;
      }
      if (o.exitsWith !== undefined) {
        run.endedAt = o.exitsWith.at;
        log.exit = o.exitsWith;
        throw new AppError('session', 'the CLI ended');
      }
      throw new AppError('timeout', `no ${what} within ${timeoutMs} ms`);
    },
    send: async (r, req): Promise<CommandOutcome> => {
      log.sent.push(req.line);
      const answer = o.answers?.[req.line] ?? '';
      if (typeof answer !== 'string') {
        if ('cancel' in answer) r.cancelled = true;
        throw 'cancel' in answer
          ? new AppError('cancelled', 'the session is ending')
          : new AppError('timeout', `no answer within ${req.timeoutMs} ms`);
      }
      const items = seen(parser.push(answer + PROMPT)).filter((i) => i.type !== 'prompt');
      return {
        result: {
          command: req.line,
          lines: items.flatMap((i) => ('text' in i ? [i.text] : [])),
          errors: items.flatMap((i) =>
            i.type === 'error' ? [{ code: i.code, text: i.text }] : [],
          ),
          durationMs: 0,
        },
        items,
        endedBy: 'marker',
      };
    },
    stop: async () => void log.stops++,
    facts: () => facts,
    lastExit: () => log.exit,
    setStatus: (s) => void log.statuses.push(s),
    setError: (m) => void (log.error = m),
    setCapability: (c) => void (log.capability = c),
    addNotice: (t) => void log.notices.push(t),
    changed: () => undefined,
    canList: () => o.canList ?? true,
    refreshEvents: async () => void log.refreshes++,
  };
  return { sequence: new ConnectSequence(port), run, log };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

const LOCAL = profile({ kind: 'local' });
const target = (p: ProfileDraft, isSimulator = true) => ({
  isSimulator,
  capability: p.capability,
  steps: connectSteps(p),
});

describe('connect sequence (spec §2)', () => {
  it('connects locally: first prompt, .connect local, load vmm, ready, events read', async () => {
    const { sequence, run, log } = rig({
      startup: SIM_BANNER + PROMPT,
      answers: {
        '.connect local': 'local debugging (vmi-mode)\n',
        'load vmm': 'vmm module is running...\n',
      },
    });
    await sequence.run(run, target(LOCAL));
    expect(log.sent).toEqual(['.connect local', 'load vmm']);
    expect(log.statuses).toEqual(['connecting', 'ready']);
    expect(log.capability).toMatchObject({ capability: 'sim', returnsBuffers: true });
    expect(log.notices).toEqual([]);
    expect(log.refreshes).toBe(1);
    expect(log.stops).toBe(0);
  });

  it('reads a stock banner as a stock build, with its notices', async () => {
    const { sequence, run, log } = rig({
      startup: STOCK_BANNER + PROMPT,
      answers: {
        '.connect local': 'local debugging (vmi-mode)\n',
        'load vmm': 'vmm module is running...\n',
      },
    });
    await sequence.run(run, target(LOCAL, false));
    expect(log.capability).toMatchObject({ capability: 'stock', returnsBuffers: false });
    expect(log.notices.length).toBeGreaterThan(0);
  });

  it('does not read events while the CLI cannot list them', async () => {
    const { sequence, run, log } = rig({
      startup: SIM_BANNER + PROMPT,
      answers: {
        '.connect local': 'local debugging (vmi-mode)\n',
        'load vmm': 'vmm module is running...\n',
      },
      canList: false,
    });
    await sequence.run(run, target(LOCAL));
    expect(log.statuses.at(-1)).toBe('ready');
    expect(log.refreshes).toBe(0);
  });

  it("stops at a failed step, quotes the CLI's error and stops the CLI", async () => {
    const { sequence, run, log } = rig({
      startup: SIM_BANNER + PROMPT,
      answers: {
        '.connect local': 'local debugging (vmi-mode)\n',
        'load vmm': 'err, target file is not loaded\nunable to install KD driver\n',
      },
    });
    const e = await refusal(sequence.run(run, target(LOCAL)));
    expect(e.code).toBe('session');
    expect(e.message).toContain('err, target file is not loaded');
    expect(log.error).toBe(e.message);
    expect(log.stops).toBe(1);
    expect(log.statuses.at(-1)).toBe('disconnected');
    expect(log.refreshes).toBe(0);
  });

  it('does not send the next step after one fails', async () => {
    const { sequence, run, log } = rig({
      startup: SIM_BANNER + PROMPT,
      answers: { '.connect local': 'unable to connect to the server\n' },
    });
    await refusal(sequence.run(run, target(LOCAL)));
    expect(log.sent).toEqual(['.connect local']);
  });

  it("gives a step that never answers its own timeout: the driver's, or the debuggee's", async () => {
    const local = rig({
      startup: SIM_BANNER + PROMPT,
      answers: { '.connect local': 'local debugging (vmi-mode)\n', 'load vmm': { timeout: true } },
    });
    const e1 = await refusal(local.sequence.run(local.run, target(LOCAL)));
    expect(e1.message).toContain(`${TIMEOUTS.loadMs} ms`);
    expect(local.log.stops).toBe(1);

    const pipe = profile({ kind: 'namedPipe', pipe: '' });
    const remote = rig({
      startup: SIM_BANNER + PROMPT,
      answers: { [connectSteps(pipe)[0]?.line ?? '']: { timeout: true } },
    });
    const e2 = await refusal(remote.sequence.run(remote.run, target(pipe)));
    expect(e2.message).toContain(`${TIMEOUTS.debuggeeConnectMs} ms`);
    expect(remote.log.statuses.at(-1)).toBe('disconnected');
  });

  it('quotes the head and tail of what a CLI printed before dying without a prompt', async () => {
    const lines = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];
    const { sequence, run, log } = rig({
      startup: lines.map((l) => `${l}\n`).join(''),
      exitsWith: { code: 3, signal: null, at: 1 },
    });
    const e = await refusal(sequence.run(run, target(LOCAL)));
    expect(e.code).toBe('session');
    for (const l of ['first', 'second', 'third', 'seventh', 'eighth'])
      expect(e.message).toContain(l);
    for (const l of ['fourth', 'fifth', 'sixth']) expect(e.message).not.toContain(l);
    expect(e.message).toContain('3');
    // It is gone already: nothing to stop.
    expect(log.stops).toBe(0);
    expect(log.sent).toEqual([]);
    expect(log.statuses).toEqual(['disconnected']);
  });

  it('stops a CLI that prints no prompt in time and says how long it waited', async () => {
    const { sequence, run, log } = rig({ startup: 'still loading\n' });
    const e = await refusal(sequence.run(run, target(LOCAL)));
    expect(e.message).toContain(`${TIMEOUTS.startupMs} ms`);
    expect(e.message).toContain('still loading');
    expect(log.stops).toBe(1);
    expect(log.error).toBe(e.message);
  });

  it('ends as cancelled, with no error, when the user disconnects during a step', async () => {
    const { sequence, run, log } = rig({
      startup: SIM_BANNER + PROMPT,
      answers: { '.connect local': { cancel: true } },
    });
    const e = await refusal(sequence.run(run, target(LOCAL)));
    expect(e.code).toBe('cancelled');
    expect(log.error).toBeNull();
    expect(log.stops).toBe(1);
    expect(log.statuses.at(-1)).toBe('disconnected');
  });
});
