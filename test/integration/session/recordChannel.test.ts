// Forwarding as the record channel, end to end: the real session engine, a real TCP listener and
// the simulator's v0.23 `output` (docs/hyperdbg-v0.23.md §6.4). Records arrive through the sink
// and none through the console, VMI's pause does not mute them, a sink that was created but not
// opened and one that broke behave as in v0.23, and the app falls back to the console, or gives
// new events a fresh sink, saying why. Expected protocol strings are the spec's.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import type { EventBinding } from '../../../shared/model/eventBinding';
import type { RecordChannelState } from '../../../shared/contract/session';
import { listenForSink, type ListenForSink } from '../../../electron/host/session/sinkListener';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';

/** A log action printing one record line per syscall (buffer-records.md §2): 8 bytes, the pid. */
const LOG_SCRIPT = 'printf("HDBG1 %x %x %llx 8 %llx\\n", $event_id, $core, $context, $pid);';
const LOG: EventBinding = { kind: '!syscall', script: LOG_SCRIPT };
/** The seed's ImageFileName action: the simulator returns its buffer as a record. */
const SEED_CODE = '65488B042588010000488B80B8000000480550040000C3';

let h: Harness | null = null;
const servers: Server[] = [];
afterEach(async () => {
  await h?.dispose();
  h = null;
  for (const s of servers.splice(0)) s.close();
});

/** The real listener, remembering the CLI's connection so a test can break it. */
function trackingListener(): { listen: ListenForSink; sockets: Socket[] } {
  const sockets: Socket[] = [];
  const listen: ListenForSink = async (transport) => {
    const l = await listenForSink(transport);
    return {
      transport: l.transport,
      address: l.address,
      close: () => l.close(),
      accept: async (ms) => {
        const s = await l.accept(ms);
        sockets.push(s);
        return s;
      },
    };
  };
  return { listen, sockets };
}

function forwarded(r: RecordChannelState): Extract<RecordChannelState, { kind: 'forwarded' }> {
  if (r.kind !== 'forwarded') throw new Error(`records are not forwarded: ${JSON.stringify(r)}`);
  return r;
}

/** Records the output parser finds in a file, as the session's own parser would. */
function recordsIn(path: string): number {
  const p = createOutputParser();
  const bytes = readFileSync(path);
  let n = 0;
  for (let off = 0; off < bytes.length; off += 65_536)
    for (const item of p.push(bytes.subarray(off, off + 65_536))) if (item.type === 'record') n++;
  for (const item of p.end()) if (item.type === 'record') n++;
  return n;
}

function sinkTranscripts(dataDir: string): string[] {
  const dir = join(dataDir, 'sessions');
  return readdirSync(dir)
    .filter((f) => /-sink-hds_[0-9a-f]{8}\.log$/.test(f))
    .map((f) => join(dir, f));
}

/** The `output` listing's line for a source (output.cpp: "%x  %s   %s\t%s\n", padded fields). */
function listingLine(n: number, type: string, state: string, name: string): string {
  return `${n.toString(16)}  ${type.padEnd(9)}   ${state.padEnd(10)}\t${name}`;
}

/** A TCP server of the test's own: what a user's sink would connect to. */
async function testServer(): Promise<{ port: number; received: () => string }> {
  let data = '';
  const server = createServer((s) => s.on('data', (d: Buffer) => (data += d.toString())));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  if (a === null || typeof a !== 'object') throw new Error('no port');
  return { port: a.port, received: () => data };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('forwarding as the record channel (local VMI)', () => {
  it('records arrive through the sink, none through the console, also while muted', async () => {
    h = createHarness();
    const s = await h.service.connect(
      simProfile('local', { seed: 11, pacing: 'fast', rate: 3000 }),
    );
    const channel = forwarded(s.records);
    // Set up before the session takes commands: no event can be applied on the console first.
    expect(h.states.find((x) => x.status === 'ready')?.records.kind).toBe('forwarded');
    expect(channel.transport).toBe('tcp');
    expect(channel.address).toMatch(/^127\.0\.0\.1:\d+$/);
    // The CLI's own listing: the app's source, created and opened (§6.4).
    expect((await h.service.command('output')).lines).toEqual([
      listingLine(1, 'tcp', 'opened', channel.sink),
    ]);

    const log = await h.service.applyEvent(LOG);
    expect(log.command).toBe(`!syscall output {${channel.sink}} script {${LOG_SCRIPT}}`);
    const code = await h.service.applyEvent({ kind: '!syscall', buffer: '18', code: SEED_CODE });
    expect(code.command).toBe(`!syscall buffer 18 output {${channel.sink}} code {${SEED_CODE}}`);
    const of = (id: number) => h!.sink.allRecords.filter((r) => r.record.eventId === id);
    await eventually(() => of(0).length >= 20 && of(1).length >= 20, 10_000, 'records');
    expect(of(0)[0]?.record.length).toBe(8);
    expect(of(1)[0]?.record.length).toBe(0x18);

    // VMI's pause discards console messages (§2.7); forwarding comes before that test (§6.4).
    const muted = await h.service.mute(true);
    expect(muted.muted).toBe(true);
    const atMute = h.sink.allRecords.length;
    await eventually(() => h!.sink.allRecords.length >= atMute + 50, 10_000, 'records while muted');
    await h.service.mute(false);

    const consolePath = h.service.runStats()?.transcriptPath as string;
    const received = h.sink.allRecords.length;
    await h.service.disconnect();
    expect(h.sink.allRecords.length).toBeGreaterThanOrEqual(received);
    // Nothing through the console; the sink's own transcript holds every record the log got.
    expect(recordsIn(consolePath)).toBe(0);
    const [sinkLog, ...more] = sinkTranscripts(h.dataDir);
    expect(more).toEqual([]);
    expect(recordsIn(sinkLog as string)).toBe(h.sink.allRecords.length);
    expect(h.sink.allMalformed).toEqual([]);
  });

  it("text a log action prints that is no record still shows in the console, marked with the sink's name", async () => {
    h = createHarness();
    const s = await h.service.connect(
      simProfile('local', { seed: 12, pacing: 'fast', rate: 2000 }),
    );
    const { sink } = forwarded(s.records);
    await h.service.applyEvent({ kind: '!syscall', script: 'printf("pid %x\\n", $pid);' });
    await eventually(
      () =>
        new RegExp(`\\[${sink}\\] pid [0-9a-f]+\\r\\n`).test(h!.service.terminalSnapshot().data),
      10_000,
      'the text in the console',
    );
    expect(h.sink.allRecords).toEqual([]);
  });

  it('keeps everything when the CLI dies mid-flood: the sink transcript holds what the log got', async () => {
    h = createHarness();
    await h.service.connect(simProfile('local', { seed: 9, pacing: 'fast', rate: 200_000 }));
    await h.service.applyEvent({ kind: '!syscall', buffer: '18', code: SEED_CODE });
    await eventually(() => h!.sink.allRecords.length >= 5_000, 20_000, 'a flood of records');
    process.kill(h.service.runStats()?.pid as number, 'SIGKILL');
    await eventually(() => h!.service.getState().status === 'lost', 10_000, 'the lost state');
    expect(h.service.getState().records).toEqual({ kind: 'none' });
    const [sinkLog] = sinkTranscripts(h.dataDir);
    // The transcript is closed once the run's end has been handled.
    await eventually(
      () => recordsIn(sinkLog as string) === h!.sink.allRecords.length,
      5_000,
      'the sink transcript',
    );
    expect(h.service.runStats()?.forwarded.records).toBe(h.sink.allRecords.length);
    expect(h.sink.ended).toEqual([expect.objectContaining({ generation: 1 })]);
  });
});

describe('the named-pipe transport', () => {
  // Windows' default. Here the pipe is the simulator's stand-in, a Unix-domain socket at the
  // same kind of path (§6.4); the app's server end is the same code.
  it('forwards through a pipe the app serves', async () => {
    h = createHarness({}, { sinkTransport: 'namedpipe' });
    const s = await h.service.connect(
      simProfile('local', { seed: 18, pacing: 'fast', rate: 2000 }),
    );
    const channel = forwarded(s.records);
    expect(channel.transport).toBe('namedpipe');
    expect(channel.address).toMatch(
      process.platform === 'win32'
        ? /^\\\\\.\\pipe\\hyperdbg-studio-[0-9a-f]{16}$/
        : /\/hyperdbg-studio-[0-9a-f]{16}\.sock$/,
    );
    expect((await h.service.command('output')).lines).toEqual([
      listingLine(1, 'namedpipe', 'opened', channel.sink),
    ]);
    await h.service.applyEvent(LOG);
    await eventually(() => h!.sink.allRecords.length >= 20, 10_000, 'records through the pipe');
  });
});

describe('sinks as v0.23 treats them (§6.4)', () => {
  it('a sink created but not opened swallows every message with an error line; opened, it gets them', async () => {
    h = createHarness();
    await h.service.connect(simProfile('local', { seed: 13, pacing: 'fast', rate: 2000 }));
    const user = await testServer();
    expect(
      (await h.service.command(`output create mine tcp 127.0.0.1:${user.port}`)).errors,
    ).toEqual([]);
    // Typed in the console, the event is sent as typed: to the user's sink only.
    const typed = await h.service.command('!syscall script {printf("to mine\\n");} output {mine}');
    expect(typed.lines).toContain(
      "some of the output(s) are not opened, it's not an error, but please ensure to open the output using the 'output' command to forward the results to the target resource",
    );
    await eventually(
      () =>
        h!.service
          .terminalSnapshot()
          .data.includes(
            'err, there was an error transferring the message to the remote sources\n',
          ),
      10_000,
      'the transfer error',
    );
    expect(user.received()).toBe('');
    expect(h.service.getState().notices.join('\n')).toMatch(
      /could not forward an event's message to its output sinks/,
    );
    // Error lines of the running event arrive with the answer (spec §13); none is open's own.
    const open = await h.service.command('output open mine');
    expect(open.errors.filter((e) => e.code !== 'forwarding-failed')).toEqual([]);
    await eventually(() => user.received().includes('to mine\n'), 10_000, 'messages in the sink');
    // Unframed: exactly the printf text, one message after another.
    expect(/^(to mine\n)+/.test(user.received())).toBe(true);
  });

  it("a sink that breaks: the CLI keeps it 'opened' and reports each message; the app says so and gives new events a fresh sink", async () => {
    const tracker = trackingListener();
    h = createHarness({}, { listenForSink: tracker.listen });
    const s = await h.service.connect(
      simProfile('local', { seed: 14, pacing: 'fast', rate: 3000 }),
    );
    const first = forwarded(s.records).sink;
    await h.service.applyEvent(LOG);
    const of = (id: number) => h!.sink.allRecords.filter((r) => r.record.eventId === id).length;
    await eventually(() => of(0) >= 20, 10_000, 'records of event 0');

    tracker.sockets[0]?.destroy();
    await eventually(
      () => {
        const r = h!.service.getState().records;
        return r.kind === 'forwarded' && r.sink !== first;
      },
      10_000,
      'a fresh sink',
    );
    const second = forwarded(h.service.getState().records).sink;
    const notices = h.service.getState().notices.join('\n');
    expect(notices).toContain(`The forwarding sink ${first} broke while hyperdbg-cli kept running`);
    expect(notices).toMatch(/the records of event 0 are lost from now on/);
    expect(notices).toContain(`New events send their records through the new sink ${second}.`);
    // v0.23: the failed send closed the handle; the source still says "opened" (§6.4).
    await eventually(
      () => h!.service.terminalSnapshot().data.includes('err, send failed (2746)\n'),
      10_000,
      'the send error',
    );
    expect(h.service.getState().notices.join('\n')).toMatch(/An output sink could not be written/);
    // Event 0's failures keep arriving meanwhile (spec §13): the listing is the rest.
    const listing = (await h.service.command('output')).lines.filter((l) => !l.startsWith('err, '));
    expect(listing).toEqual([
      listingLine(1, 'tcp', 'opened', first),
      listingLine(2, 'tcp', 'opened', second),
    ]);

    const atBreak = of(0);
    const ev = await h.service.applyEvent({ ...LOG, kind: '!sysret' });
    expect(ev.id).toBe('1');
    expect(ev.command).toContain(`output {${second}}`);
    await eventually(() => of(1) >= 20, 10_000, 'records of event 1 through the new sink');
    await sleep(300);
    expect(of(0)).toBe(atBreak);
  });
});

describe('falling back to the console, saying why', () => {
  async function fallback(listen: ListenForSink, sinkConnectMs?: number): Promise<string> {
    h = createHarness(sinkConnectMs !== undefined ? { sinkConnectMs } : {}, {
      listenForSink: listen,
    });
    const s = await h.service.connect(
      simProfile('local', { seed: 15, pacing: 'fast', rate: 2000 }),
    );
    expect(s.status).toBe('ready');
    if (s.records.kind !== 'console') throw new Error(JSON.stringify(s.records));
    expect(s.notices).toContain(`Records come through the console: ${s.records.reason}.`);
    // Events keep the console: no output block, and their records arrive there.
    const ev = await h.service.applyEvent(LOG);
    expect(ev.command).toBe(`!syscall script {${LOG_SCRIPT}}`);
    await eventually(() => h!.sink.allRecords.length >= 10, 10_000, 'records on the console');
    return s.records.reason;
  }

  it('when the app cannot listen', async () => {
    const reason = await fallback(() => Promise.reject(new Error('no port for you')));
    expect(reason).toBe('the app could not listen for forwarded records (no port for you)');
  });

  it('when hyperdbg-cli refuses output create (nothing listens at the address)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const reason = await fallback(async (t) => {
      const l = await listenForSink(t);
      return { ...l, address: `127.0.0.1:${port}` };
    });
    expect(reason).toMatch(
      new RegExp(
        `^hyperdbg-cli refused 'output create hds_[0-9a-f]{8} tcp 127\\.0\\.0\\.1:${port}': unable to connect to the server / err, invalid address or cannot open or find the address$`,
      ),
    );
  });

  it('when the CLI connects somewhere else and never to the app', async () => {
    const decoy = await testServer();
    const reason = await fallback(async (t) => {
      const l = await listenForSink(t);
      return { ...l, address: `127.0.0.1:${decoy.port}` };
    }, 500);
    expect(reason).toMatch(
      /^hyperdbg-cli did not connect to 127\.0\.0\.1:\d+ within 500 ms after 'output create hds_[0-9a-f]{8} tcp 127\.0\.0\.1:\d+'$/,
    );
  });

  it('when the console channel is chosen', async () => {
    h = createHarness({}, { recordChannel: 'console' });
    const s = await h.service.connect(simProfile('local', { seed: 16, pacing: 'fast' }));
    expect(s.records).toEqual({ kind: 'console', reason: 'the console channel was chosen' });
    expect((await h.service.command('output')).lines).toEqual(['output forwarding list is empty']);
  });
});

describe('forwarding in Debugger Mode', () => {
  it('is set up at the first event, with the debuggee halted, and records arrive through it', async () => {
    h = createHarness();
    const s = await h.service.connect(
      simProfile('namedPipe', { seed: 17, pacing: 'fast', rate: 3000 }),
    );
    expect(s).toMatchObject({
      mode: 'debugger',
      debuggee: 'running',
      records: { kind: 'pending' },
    });
    const ev = await h.service.applyEvent(LOG);
    const { sink } = forwarded(h.service.getState().records);
    expect(ev.command).toBe(`!syscall output {${sink}} script {${LOG_SCRIPT}}`);
    expect(h.service.getState().debuggee).toBe('running');
    await eventually(() => h!.sink.allRecords.length >= 20, 10_000, 'records over the link');
    expect(h.sink.allRecords[0]?.record).toMatchObject({ eventId: 0, length: 8 });
    const consolePath = h.service.runStats()?.transcriptPath as string;
    await h.service.disconnect();
    expect(recordsIn(consolePath)).toBe(0);
  });
});
