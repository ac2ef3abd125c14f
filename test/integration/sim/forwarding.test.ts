// `output` and event forwarding against real listeners (docs/hyperdbg-v0.23.md §6.4; output.cpp,
// forwarding.cpp, namedpipe.cpp, tcpclient.cpp): a TCP server and a Unix-domain socket (the
// simulator's named-pipe stand-in off Windows) receive the messages, the console does not, the
// mute does not stop them; not-opened and broken sources behave as v0.23. Through a real pty.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/paths';
import { startSim, type SimPty } from '../../helpers/simPty';

const P = 'HyperDbg> ';
const TRANSFER_ERROR = 'err, there was an error transferring the message to the remote sources\n';
const NOT_OPENED_NOTE =
  "some of the output(s) are not opened, it's not an error, but please ensure to open the output using the 'output' command to forward the results to the target resource\n";
const INVALID_ADDRESS = 'err, invalid address or cannot open or find the address\n';
const USAGE = "incorrect use of the 'output'\n\noutput : creates an output instance";
/** A script action whose every trigger is one packet: "R <context>\n". */
const R_SCRIPT = 'script { printf("R %x\\n", $context); }';

// Runs dist/sim, which vitest's global setup (test/globalSetup.ts) builds once per run.

/** A listener that keeps every byte every client sent, and the clients themselves. */
interface Listener {
  readonly server: Server;
  readonly clients: Socket[];
  received(): string;
  close(): Promise<void>;
}

async function listen(at: { port: number } | { path: string }): Promise<Listener> {
  const chunks: Buffer[] = [];
  const clients: Socket[] = [];
  const server = createServer((c) => {
    clients.push(c);
    c.on('data', (d: Buffer) => chunks.push(d));
    c.on('error', () => undefined);
  });
  await new Promise<void>((resolve) =>
    server.listen('port' in at ? { ...at, host: '127.0.0.1' } : at, resolve),
  );
  return {
    server,
    clients,
    received: () => Buffer.concat(chunks).toString('latin1'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.destroy();
        server.close(() => resolve());
      }),
  };
}

function tcpAddress(l: Listener): string {
  const a = l.server.address();
  if (a === null || typeof a === 'string') throw new Error('not a TCP listener');
  return `127.0.0.1:${a.port}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function vmi(extra: string[] = []): Promise<SimPty> {
  const sim = await startSim(['--seed', '51', '--pacing', 'fast', '--rate', '2000', ...extra]);
  cleanups.push(() => sim.kill());
  await sim.run('.connect local');
  await sim.run('load vmm');
  return sim;
}

async function tcpListener(): Promise<Listener> {
  const l = await listen({ port: 0 });
  cleanups.push(() => l.close());
  return l;
}

describe('the output command (output.cpp)', () => {
  it('lists, refuses bad forms with the usage text, and checks type, name length and duplicates', async () => {
    const sim = await vmi();
    expect(await sim.run('output')).toBe(`output forwarding list is empty\n\n${P}`);
    expect(await sim.run('output create')).toMatch(new RegExp(`^${USAGE}`));
    expect(await sim.run('output create A file')).toMatch(new RegExp(`^${USAGE}`));
    expect(await sim.run('output create A file x y')).toMatch(new RegExp(`^${USAGE}`));
    // Any first option but create/open/close: v0.23 quotes the command's name, not the option.
    expect(await sim.run('output list A')).toMatch(
      /^incorrect option at 'output'\n\noutput : creates an output instance/,
    );
    expect(await sim.run('output create A pipe x')).toMatch(
      /^incorrect type near 'pipe'\n\noutput : creates an output instance/,
    );
    const dir = tempDir('hds-fwd-');
    expect(await sim.run(`output create ${'n'.repeat(50)} file ${join(dir, 'a.txt')}`)).toMatch(
      /^name of the output cannot exceed form 50 characters\n\noutput : /,
    );
    expect(await sim.run(`output create ${'n'.repeat(49)} file ${join(dir, 'b.txt')}`)).toBe(
      `\n${P}`,
    );
    expect(await sim.run(`output create ${'n'.repeat(49)} file ${join(dir, 'c.txt')}`)).toBe(
      `err, the name you entered, already exists, please choose another name\n\n${P}`,
    );
    expect(await sim.run(`output create Low FILE ${join(dir, 'd.txt')}`)).toBe(`\n${P}`);
    // "%x  %s   %s\t%s\n", oldest first, from 1.
    expect(await sim.run('output')).toBe(
      `1  file        not opened\t${'n'.repeat(49)}\n2  file        not opened\tLow\n\n${P}`,
    );
  }, 30_000);

  it('opens and closes by exact (case-sensitive) name, with the state errors', async () => {
    const sim = await vmi();
    const l = await tcpListener();
    expect(await sim.run('output open A')).toBe(`err, the name you entered, not found\n\n${P}`);
    expect(await sim.run(`output create A tcp ${tcpAddress(l)}`)).toBe(`\n${P}`);
    await until(() => l.clients.length === 1, 'the CLI to connect at create');
    expect(await sim.run('output close A')).toBe(`err, unable to close the source\n\n${P}`);
    expect(await sim.run('output open a')).toBe(`err, the name you entered, not found\n\n${P}`);
    expect(await sim.run('output open A')).toBe(`\n${P}`);
    expect(await sim.run('output open A')).toBe(
      `err, the name you entered was already opened\n\n${P}`,
    );
    expect(await sim.run('output')).toBe(`1  tcp         opened    \tA\n\n${P}`);
    expect(await sim.run('output close A')).toBe(`\n${P}`);
    expect(await sim.run('output close A')).toBe(
      `err, the name you entered was already closed\n\n${P}`,
    );
    expect(await sim.run('output open A')).toBe(
      `err, the name you entered was already closed\n\n${P}`,
    );
    expect(await sim.run('output')).toBe(`1  tcp         closed    \tA\n\n${P}`);
    // Closing shuts the connection down.
    await until(() => l.clients[0]?.readableEnded === true, 'the connection to end');
  }, 30_000);

  it('answers failed connections as v0.23 does, and never keeps the source', async () => {
    const sim = await vmi();
    const l = await tcpListener();
    const port = tcpAddress(l).split(':')[1];
    await l.close();
    expect(await sim.run(`output create T tcp 127.0.0.1:${port}`)).toBe(
      `unable to connect to the server\n${INVALID_ADDRESS}\n${P}`,
    );
    // No ':' at all: the address is refused without a word of its own.
    expect(await sim.run('output create T tcp 127.0.0.1')).toBe(`${INVALID_ADDRESS}\n${P}`);
    const missing = join(tempDir('hds-fwd-'), 'nopipe');
    expect(await sim.run(`output create N namedpipe ${missing}`)).toBe(
      `err, occurred while connecting to the server (2)\n${INVALID_ADDRESS}\n${P}`,
    );
    expect(await sim.run('output create M module c:\\rev\\event_forwarding.dll')).toBe(
      `err, unable to load the module\n${INVALID_ADDRESS}\n${P}`,
    );
    expect(await sim.run(`output create F file ${join(missing, 'x', 'y.txt')}`)).toBe(
      `${INVALID_ADDRESS}\n${P}`,
    );
    expect(await sim.run('output')).toBe(`output forwarding list is empty\n\n${P}`);
  }, 30_000);
});

describe('output {} on events (InterpretOutput, debugger.cpp)', () => {
  it('checks names before the ID; `imm no` is refused after it, using the ID up', async () => {
    const sim = await vmi();
    expect(await sim.run(`!cpuid output {A} ${R_SCRIPT}`)).toBe(
      `err, the name you entered, not found. Did you use 'output' command to create it?\n\n${P}`,
    );
    const l = await tcpListener();
    await sim.run(`output create A tcp ${tcpAddress(l)}`);
    expect(await sim.run(`!cpuid output {A, B} ${R_SCRIPT}`)).toBe(
      `${NOT_OPENED_NOTE}err, the name you entered, not found. Did you use 'output' command to create it?\n\n${P}`,
    );
    expect(await sim.run(`!cpuid output {A,A,A,A,A,A} ${R_SCRIPT}`)).toBe(
      `err, based on this build of HyperDbg, the maximum input sources for a single event is 0x5 sources but you entered 0x6 sources\n\n${P}`,
    );
    expect(await sim.run(`!cpuid output {,} ${R_SCRIPT}`)).toBe(`err, no input found\n\n${P}`);
    expect(await sim.run(`!cpuid imm no output {A} ${R_SCRIPT}`)).toBe(
      `${NOT_OPENED_NOTE}err, non-immediate message passing is not supported in 'output-forwarding mode'\n\n${P}`,
    );
    // The failures before the ID used none; the `imm no` one used ID 0.
    await sim.run(`!cpuid pid fffffff0 output { A } ${R_SCRIPT}`);
    expect(await sim.run('events')).toMatch(
      /^1\t\(enabled\)\t {4}!cpuid pid fffffff0 output {2}A {2}script/,
    );
    await sim.run('output open A');
    await sim.run('output close A');
    expect(await sim.run(`!cpuid output {A} ${R_SCRIPT}`)).toBe(
      `err, output source already closed\n\n${P}`,
    );
  }, 30_000);

  it('a created but not opened source swallows every message with an error line; opened, the messages go to the listener only, mute or not', async () => {
    const sim = await vmi();
    const l = await tcpListener();
    await sim.run(`output create A tcp ${tcpAddress(l)}`);
    let m = sim.mark();
    expect(
      await sim.runAmid(`!syscall output {A} ${R_SCRIPT}`, new RegExp(TRANSFER_ERROR.trimEnd())),
    ).toBe(`${NOT_OPENED_NOTE}\n${P}`);
    await sim.waitFor(TRANSFER_ERROR.repeat(5), m);
    await sleep(200);
    expect(sim.since(m)).not.toMatch(/^R /m);
    expect(l.received()).toBe('');

    // Error lines keep coming until the open is read, so no prompt-at-the-end wait here.
    sim.send('output open A');
    await until(() => l.received().split('\n').length > 50, 'forwarded messages');
    m = sim.mark();
    sim.send('pause');
    await sim.waitFor('pausing...\n', m);
    const before = l.received().length;
    await sleep(500);
    // VMI pause mutes the console, not forwarding (the forwarding check comes first).
    expect(l.received().length).toBeGreaterThan(before);
    sim.send('g');
    await sleep(300);
    const console = sim.since(m);
    expect(console).not.toMatch(/^R /m);
    expect(console).not.toContain('err, there was');
    // Unframed: exactly the printf text, message after message; no NUL, nothing added.
    const text = l.received();
    expect(text).not.toContain('\0');
    expect(text).toMatch(/^(?:R [0-9a-f]+\n)+$/);
  }, 30_000);

  it('a message without a newline arrives without one (the packet text exactly)', async () => {
    const sim = await vmi();
    const l = await tcpListener();
    await sim.run(`output create A tcp ${tcpAddress(l)}`);
    await sim.run('output open A');
    await sim.run('!cpuid output {A} script { printf("%x;", $context); }');
    await until(() => l.received().split(';').length > 20, 'forwarded messages');
    expect(l.received()).toMatch(/^(?:[0-9a-f]+;)+$/);
  }, 30_000);

  it('all five slots used: every message still goes to each source, and the CLI prints the error anyway', async () => {
    const sim = await vmi();
    const l = await tcpListener();
    await sim.run(`output create A tcp ${tcpAddress(l)}`);
    await sim.run('output open A');
    const m = sim.mark();
    sim.send('!cpuid output {A, A, A, A, A} script { printf("C %x\\n", $context); }');
    await sim.waitFor(TRANSFER_ERROR.repeat(3), m);
    await until(() => l.received().length > 0, 'forwarded messages');
    await sleep(200);
    const lines = l.received().trimEnd().split('\n');
    // Each message five times in a row (one write per slot).
    for (let i = 0; i + 5 <= lines.length; i += 5)
      expect(new Set(lines.slice(i, i + 5)).size).toBe(1);
  }, 30_000);
});

describe('broken and other sources (namedpipe.cpp, tcpclient.cpp, forwarding.cpp)', () => {
  it('TCP: after the listener drops the connection every message prints the send error; the source stays opened', async () => {
    const sim = await vmi();
    const l = await tcpListener();
    await sim.run(`output create A tcp ${tcpAddress(l)}`);
    await sim.run('output open A');
    await sim.run(`!syscall output {A} ${R_SCRIPT}`);
    await until(() => l.received().length > 0, 'forwarded messages');
    const m = sim.mark();
    for (const c of l.clients) c.destroy();
    // WSAECONNRESET on the first failed send, then the socket it closed (WSAENOTSOCK).
    await sim.waitFor(`err, send failed (2746)\n${TRANSFER_ERROR}`, m);
    await sim.waitFor(`err, send failed (2736)\n${TRANSFER_ERROR}err, send failed (2736)\n`, m);
    expect(sim.since(m).match(/err, send failed \(2746\)/g)).toHaveLength(1);
    sim.send('events d all');
    await sleep(300);
    expect(await sim.run('output')).toMatch(/(?:^|\n)1 {2}tcp {9}opened {4}\tA\n\nHyperDbg> $/);
  }, 30_000);

  it('named pipe (a Unix-domain socket here): messages arrive; a dropped server gives the write error per message', async () => {
    const sim = await vmi();
    const path = join(tempDir('hds-fwd-'), 'HyperDbgOutput');
    const l = await listen({ path });
    cleanups.push(() => l.close());
    expect(await sim.run(`output create P namedpipe ${path}`)).toBe(`\n${P}`);
    await sim.run('output open P');
    await sim.run(`!syscall output {P} ${R_SCRIPT}`);
    await until(() => l.received().split('\n').length > 20, 'forwarded messages');
    expect(l.received()).toMatch(/^(?:R [0-9a-f]+\n)+/);
    const m = sim.mark();
    for (const c of l.clients) c.destroy();
    await sim.waitFor(`err, occurred while writing to the server (e8)\n${TRANSFER_ERROR}`, m);
    await sim.waitFor(`err, occurred while writing to the server (6)\n${TRANSFER_ERROR}`, m);
    expect(sim.since(m)).not.toMatch(/^R /m);
  }, 30_000);

  it('file: opened without truncation, written from offset 0 (overwriting in place), held exclusively', async () => {
    const sim = await vmi();
    const file = join(tempDir('hds-fwd-'), 'out.txt');
    const tail = 'Z'.repeat(20_000);
    writeFileSync(file, tail);
    expect(await sim.run(`output create F file ${file}`)).toBe(`\n${P}`);
    // CreateFileA with no sharing: the same file cannot be opened twice.
    expect(await sim.run(`output create G file ${file}`)).toBe(`${INVALID_ADDRESS}\n${P}`);
    await sim.run('output open F');
    await sim.run(`!syscall output {F} ${R_SCRIPT}`);
    await sleep(500);
    await sim.run('events d all');
    await sim.run('output close F');
    const text = readFileSync(file, 'latin1');
    const written = /^(?:R [0-9a-f]+\n)+/.exec(text)?.[0] ?? '';
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(tail.length);
    // Not truncated: the old content past what was written is still there.
    expect(text.length).toBe(tail.length);
    expect(text.slice(written.length)).toBe('Z'.repeat(tail.length - written.length));
    expect(await sim.run(`output create G file ${file}`)).toBe(`\n${P}`);
  }, 30_000);

  it('realistic pacing: forwarded messages go at the console pace, one per 30 ms reader tick', async () => {
    const sim = await vmi(['--pacing', 'realistic', '--rate', '20000']);
    const l = await tcpListener();
    await sim.run(`output create A tcp ${tcpAddress(l)}`);
    await sim.run('output open A');
    await sim.run(`!syscall output {A} ${R_SCRIPT}`);
    await until(() => l.received().length > 0, 'the first message');
    const start = l.received().split('\n').length;
    await sleep(1500);
    const n = l.received().split('\n').length - start;
    // 1.5 s at one packet per 30 ms: at most about 50, however busy the machine (a late timer
    // only lowers it); a flood (thousands) would mean forwarding skipped the reader's pace.
    expect(n).toBeGreaterThan(5);
    expect(n).toBeLessThan(60);
  }, 30_000);
});

describe('Debugger Mode (kernel-listening.cpp)', () => {
  it('forwards on the debugger side: messages go to the listener, not the console', async () => {
    const sim = await startSim(['--seed', '52', '--pacing', 'fast', '--rate', '2000']);
    cleanups.push(() => sim.kill());
    let m = sim.mark();
    sim.send('.debug remote namedpipe \\\\.\\pipe\\HyperDbgPipe');
    await sim.waitFor('debuggee is running...\n', m);
    m = sim.mark();
    sim.write('\x03');
    await sim.waitFor(/0: kHyperDbg> $/, m);
    const l = await tcpListener();
    expect(await sim.run(`output create A tcp ${tcpAddress(l)}`)).toBe('\n0: kHyperDbg> ');
    expect(await sim.run('output open A')).toBe('\n0: kHyperDbg> ');
    expect(await sim.run(`!syscall output {A} ${R_SCRIPT}`)).toBe('\n0: kHyperDbg> ');
    m = sim.mark();
    sim.send('g');
    await until(() => l.received().split('\n').length > 50, 'forwarded messages');
    expect(sim.since(m)).toBe('debuggee is running...\n');
    m = sim.mark();
    sim.write('\x03');
    await sim.waitFor(/kHyperDbg> $/, m);
  }, 30_000);
});
