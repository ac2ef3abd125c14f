// The record channel through its port, with a stand-in CLI that connects to the real listener as
// v0.23 does at `output create` (docs/hyperdbg-v0.23.md §6.4): which targets forward, how a
// binding gets the sink (never with imm no, never filling the fifth slot), the sink's unframed
// bytes parsed with lines split anywhere across reads, and the pipe path choice.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestedRecord, MalformedLine, RecordSink } from '../../../electron/host/log/sink';
import { INITIAL_FACTS, type CliFacts } from '../../../electron/host/session/cliFacts';
import type { CommandOutcome, CommandRequest } from '../../../electron/host/session/commandQueue';
import { RecordChannel, type ChannelPort } from '../../../electron/host/session/recordChannel';
import { RecordForwarder } from '../../../electron/host/session/recordForwarder';
import {
  defaultSinkTransport,
  listenForSink,
  sinkPipePath,
} from '../../../electron/host/session/sinkListener';

interface StandInRun {
  readonly generation: number;
  readonly forwarder: RecordForwarder;
}

const LOCAL_VMI: Partial<CliFacts> = { mode: 'vmi', connectedLocally: true, prompted: true };

function answer(line: string, errors: { code: string; text: string }[] = []): CommandOutcome {
  return {
    result: { command: line, lines: errors.map((e) => e.text), errors, durationMs: 0 },
    items: [],
    endedBy: 'marker',
  };
}

const clients: Socket[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

/** A channel whose CLI connects to the address `output create` names, as v0.23's does. */
function rig(facts: Partial<CliFacts>, o: { canSend?: boolean } = {}) {
  const records: IngestedRecord[] = [];
  const malformed: MalformedLine[] = [];
  const sink: RecordSink = {
    records: (b) => void records.push(...b),
    malformed: (b) => void malformed.push(...b),
    sessionStarted: () => undefined,
    sessionEnded: () => undefined,
  };
  const run: StandInRun = { generation: 4, forwarder: new RecordForwarder(sink, 4) };
  const sent: string[] = [];
  const consoleText: string[] = [];
  const notices: string[] = [];
  let cli: Socket | null = null;
  const port: ChannelPort<StandInRun> = {
    preference: 'auto',
    transport: 'tcp',
    listen: listenForSink,
    connectMs: 2_000,
    send: async (_r, req: CommandRequest) => {
      sent.push(req.line);
      const m = /^output create (\S+) tcp 127\.0\.0\.1:(\d+)$/.exec(req.line);
      if (m !== null) {
        const c = connect({ host: '127.0.0.1', port: Number(m[2]) });
        clients.push(c);
        await new Promise((r) => c.once('connect', r));
        cli = c;
      }
      return answer(req.line);
    },
    facts: () => ({ ...INITIAL_FACTS, ...facts }),
    canSend: () => o.canSend ?? true,
    alive: () => true,
    exclusive: (fn) => fn(),
    openTranscript: () => null,
    consoleText: (t) => void consoleText.push(t),
    eventsOn: () => [],
    addNotice: (t) => void notices.push(t),
    changed: () => undefined,
  };
  const channel = new RecordChannel(port);
  channel.begin(run);
  return { channel, run, sent, records, malformed, consoleText, notices, cli: () => cli };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('which targets forward', () => {
  it('local VMI: creates and opens its sink, 5 tokens, a name under 50 characters', async () => {
    const r = rig(LOCAL_VMI);
    await r.channel.open(r.run);
    const state = r.channel.state;
    if (state.kind !== 'forwarded') throw new Error(JSON.stringify(state));
    expect(r.sent).toEqual([
      `output create ${state.sink} tcp ${state.address}`,
      `output open ${state.sink}`,
    ]);
    expect(r.sent[0]?.split(' ').length).toBe(5);
    expect(state.sink.length).toBeLessThan(50);
    expect(state.sink).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('remote VMI over TCP keeps the console: sinks would be on the remote machine', async () => {
    const r = rig({ mode: 'remote', prompted: true });
    await r.channel.open(r.run);
    expect(r.channel.state).toEqual({
      kind: 'console',
      reason:
        'remote VMI over TCP (.connect ip port): output sinks would be created on the remote machine (docs/hyperdbg-v0.23.md §6.4)',
    });
    expect(r.sent).toEqual([]);
  });

  it('Debugger Mode with the debuggee running waits until the CLI reads input', async () => {
    const r = rig({ mode: 'debugger', debuggee: 'running' }, { canSend: false });
    await r.channel.open(r.run);
    expect(r.channel.state.kind).toBe('pending');
    expect(r.sent).toEqual([]);
  });
});

describe('routing a binding', () => {
  it("adds the app's sink to actions that print, and only to them", async () => {
    const r = rig(LOCAL_VMI);
    await r.channel.open(r.run);
    const state = r.channel.state;
    if (state.kind !== 'forwarded') throw new Error('not forwarded');
    const log = { kind: '!syscall', script: 'print(1);' } as const;
    expect(r.channel.route(log)).toEqual({ binding: { ...log, output: [state.sink] }, note: null });
    expect(r.channel.route({ ...log, output: ['mine'] }).binding.output).toEqual([
      'mine',
      state.sink,
    ]);
    // A break prints nothing to forward.
    expect(r.channel.route({ kind: '!cpuid' })).toEqual({
      binding: { kind: '!cpuid' },
      note: null,
    });
  });

  it('never with imm no (HyperDbg refuses it with output, §3.7), never filling all 5 slots (§6.4)', async () => {
    const r = rig(LOCAL_VMI);
    await r.channel.open(r.run);
    const imm = r.channel.route({ kind: '!syscall', imm: 'no', script: 'print(1);' });
    expect(imm.binding.output).toBeUndefined();
    expect(imm.note).toMatch(/imm no, which HyperDbg refuses with output forwarding/);
    const four = ['a', 'b', 'c', 'd'];
    const full = r.channel.route({ kind: '!syscall', output: four, script: 'print(1);' });
    expect(full.binding.output).toEqual(four);
    expect(full.note).toMatch(/would fill all 5 slots/);
  });

  it('drops a sink of its own that is no longer current (a binding applied again)', async () => {
    const r = rig(LOCAL_VMI);
    await r.channel.open(r.run);
    const state = r.channel.state;
    if (state.kind !== 'forwarded') throw new Error('not forwarded');
    const again = r.channel.route(
      r.channel.route({ kind: '!syscall', script: 'print(1);' }).binding,
    );
    expect(again.binding.output).toEqual([state.sink]);
  });
});

describe("the sink's byte stream", () => {
  it('is unframed: records split anywhere across reads, several per message, all decoded', async () => {
    const r = rig(LOCAL_VMI);
    await r.channel.open(r.run);
    const cli = r.cli() as Socket;
    cli.setNoDelay(true);
    // Two messages (one printf each), then one message holding two lines, sent in pieces that
    // cut a record mid-field: each piece is its own read on the app's side.
    const stream =
      'HDBG1 0 1 fffff80012345678 8 4\n' +
      'HDBG1 0 2 55 3 636261\n' +
      'HDBG1 1 0 0 10 1122334455667788 99\nHDBG1 zz\nplain text\n';
    const cuts = [3, 17, 31, 40, 58, 70, stream.length];
    let from = 0;
    for (const cut of cuts) {
      cli.write(stream.slice(from, cut));
      from = cut;
      await sleep(15);
    }
    await sleep(50);
    r.run.forwarder.flush();
    expect(r.records.map((x) => [x.record.eventId, x.record.core, x.record.length])).toEqual([
      [0, 1, 8],
      [0, 2, 3],
      [1, 0, 0x10],
    ]);
    expect(r.records[0]?.record.context).toBe(0xfffff80012345678n);
    expect([...(r.records[1]?.record.bytes ?? [])]).toEqual([0x61, 0x62, 0x63]);
    expect(r.records.every((x) => x.generation === 4)).toBe(true);
    expect(r.malformed.map((m) => m.text)).toEqual(['HDBG1 zz']);
    expect(r.consoleText.join('')).toMatch(/\] plain text\r\n$/);
  });

  it('a last line without its newline is kept until the sink ends', async () => {
    const r = rig(LOCAL_VMI);
    await r.channel.open(r.run);
    (r.cli() as Socket).end('HDBG1 2 0 0 1 7f');
    await r.channel.end(r.run);
    r.run.forwarder.flush();
    expect(r.records.map((x) => x.record.eventId)).toEqual([2]);
    expect(r.channel.state).toEqual({ kind: 'none' });
  });
});

describe('the sink transport and pipe path', () => {
  it('a named pipe on Windows, TCP elsewhere', () => {
    expect(defaultSinkTransport('win32')).toBe('namedpipe');
    expect(defaultSinkTransport('linux')).toBe('tcp');
  });

  it("Windows pipes live in \\\\.\\pipe\\ under the app's name; elsewhere a socket file in the temp folder", () => {
    expect(sinkPipePath('00ff', 'win32')).toBe('\\\\.\\pipe\\hyperdbg-studio-00ff');
    expect(sinkPipePath('00ff', 'linux', '/tmp')).toBe('/tmp/hyperdbg-studio-00ff.sock');
    // One CLI token (spec §1.3): a folder with a blank cannot be used.
    expect(() => sinkPipePath('00ff', 'linux', '/tmp/my dir')).toThrow(/blank/);
    expect(() => sinkPipePath('not hex', 'win32')).toThrow(/hex/);
  });

  it('the listener takes one connection, and none before the app asked for it', async () => {
    const l = await listenForSink('tcp');
    const port = Number(l.address.split(':')[1]);
    const early = connect({ host: '127.0.0.1', port });
    clients.push(early);
    const earlyClosed = new Promise((r) => early.once('close', r));
    early.on('error', () => undefined);
    await earlyClosed;
    const taken = l.accept(2_000);
    const cli = connect({ host: '127.0.0.1', port });
    clients.push(cli);
    const s = await taken;
    expect(s.remotePort).toBe(cli.localPort);
    s.destroy();
    // Listening stopped: a second client is refused.
    const late = connect({ host: '127.0.0.1', port });
    clients.push(late);
    const refused = await new Promise<string>((r) =>
      late.once('error', (e: NodeJS.ErrnoException) => r(e.code ?? '')),
    );
    expect(refused).toBe('ECONNREFUSED');
  });
});
