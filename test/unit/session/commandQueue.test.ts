// The command queue against a scripted CLI: output delimited by the unknown-command sync marker
// (spec §1.8), blocking commands ended by "debuggee is running..." or a prompt (§2.3, §2.7),
// timeouts and cancellation, and what is written to stdin. CLI output strings are the spec's.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/result';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import { checkCommandLine } from '../../../electron/host/session/commandLine';
import { completionFor } from '../../../electron/host/session/blockingCommands';
import {
  CommandQueue,
  newSyncMarker,
  type QueueIo,
} from '../../../electron/host/session/commandQueue';
import { cliWaitsForMore } from '../../../shared/hyperdbg/cliLine';
import { HOSTILE_CONSOLE_INPUT } from '../../helpers/sessionCorpus';

const P = 'HyperDbg> ';
const unknown = (name: string) => `err, couldn't resolve command at '${name}'\n\n${P}`;

/** A queue wired to a real output parser; `cli(text)` plays what hyperdbg-cli prints. */
function rig(canSend = () => true) {
  const parser = createOutputParser();
  const writes: string[] = [];
  const io: QueueIo = {
    write: (d) => void writes.push(d),
    expectEcho: (l) => parser.expectEcho(l),
    canSend,
    now: () => Date.now(),
  };
  const queue = new CommandQueue(io);
  const cli = (text: string) => {
    for (const item of parser.push(text)) if (item.type !== 'record') queue.onItem(item);
  };
  return { queue, writes, cli };
}

/** The marker the queue sent with a write: the reserved prefix and 16 random hex digits. */
function markerOf(write: string): string {
  const m = /\r(__hdbg_sync_[0-9a-f]{16})\r$/.exec(write);
  if (m === null) throw new Error(`no marker in ${JSON.stringify(write)}`);
  return m[1] as string;
}

describe('command queue: sync markers (spec §1.8)', () => {
  it("sends the command and a unique marker, and ends the output at the marker's answer", async () => {
    const { queue, writes, cli } = rig();
    cli(`HyperDbg Debugger [version: v0.23.0, build: 20260803.1412]\n\n${P}`);
    const p = queue.submit({ line: '.status' });
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\.status\r__hdbg_sync_[0-9a-f]{16}\r$/);
    cli(`local debugging ('vmi mode')\n\n${P}`);
    cli(unknown(markerOf(writes[0] as string)));
    const o = await p;
    expect(o.result.command).toBe('.status');
    expect(o.result.lines).toEqual(["local debugging ('vmi mode')"]);
    expect(o.result.errors).toEqual([]);
    expect(o.endedBy).toBe('marker');
    expect(o.items.map((i) => i.type)).toEqual(['status']);
  });

  it('runs one command at a time, each with its own marker, and collects errors with codes', async () => {
    const { queue, writes, cli } = rig();
    const a = queue.submit({ line: 'load vmm' });
    const b = queue.submit({ line: 'events' });
    expect(writes).toHaveLength(1);
    expect(queue.count).toBe(2);
    cli(`you're not connected to any instance of HyperDbg, did you use '.connect'? \n\n${P}`);
    cli(unknown(markerOf(writes[0] as string)));
    const ra = await a;
    expect(ra.result.errors).toEqual([
      {
        code: 'not-connected',
        text: "you're not connected to any instance of HyperDbg, did you use '.connect'? ",
      },
    ]);
    expect(writes).toHaveLength(2);
    expect(markerOf(writes[1] as string)).not.toBe(markerOf(writes[0] as string));
    cli(`no active/disabled events \n\n${P}`);
    cli(unknown(markerOf(writes[1] as string)));
    expect((await b).result.lines).toEqual(['no active/disabled events ']);
    expect(queue.count).toBe(0);
  });

  it('ignores a marker-like error it did not send, and the echoes ConPTY adds (spec §1.7)', async () => {
    const parser = createOutputParser();
    const writes: string[] = [];
    const queue = new CommandQueue({
      write: (d) => void writes.push(d),
      expectEcho: (l) => parser.expectEcho(l),
      canSend: () => true,
      now: () => Date.now(),
    });
    const feed = (t: string) => {
      for (const i of parser.push(t)) queue.onItem(i);
    };
    const p = queue.submit({ line: 'foo' });
    const marker = markerOf(writes[0] as string);
    // conhost echoes both typed-ahead lines, then the CLI answers each.
    feed(`foo\r\n${marker}\r\n`);
    feed(`err, couldn't resolve command at 'foo'\r\n\r\n${P}`);
    feed(`err, couldn't resolve command at '${marker}'\r\n\r\n${P}`);
    const o = await p;
    expect(o.result.errors.map((e) => e.code)).toEqual(['unknown-command']);
    expect(o.result.lines).toEqual(["err, couldn't resolve command at 'foo'"]);
  });
});

describe('command queue: markers the debuggee cannot forge', () => {
  it('uses a fresh random marker for every command', () => {
    const markers = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const m = newSyncMarker();
      expect(m).toMatch(/^__hdbg_sync_[0-9a-f]{16}$/);
      markers.add(m);
    }
    expect(markers.size).toBe(10_000);
  });

  it('is not ended by answers to guessed markers, sequential or not', async () => {
    const { queue, writes, cli } = rig();
    const p = queue.submit({ line: '.status' });
    let settled = false;
    void p.then(() => (settled = true));
    cli(P);
    for (let n = 1; n <= 100; n++) cli(unknown(`__hdbg_sync_${String(n).padStart(4, '0')}`));
    cli(unknown('__hdbg_sync_0000000000000000'));
    await Promise.resolve();
    expect(settled).toBe(false);
    cli(`local debugging ('vmi mode')\n\n${P}`);
    cli(unknown(markerOf(writes[0] as string)));
    const own = (await p).result.lines.filter(
      (l) => l.trim() !== '' && !l.includes('__hdbg_sync_'),
    );
    expect(own).toEqual(["local debugging ('vmi mode')"]);
  });

  it("counts the marker's answer only after the prompt the CLI prints before reading it", async () => {
    const { queue, writes, cli } = rig();
    const p = queue.submit({ line: '.status' });
    let settled = false;
    void p.then(() => (settled = true));
    const marker = markerOf(writes[0] as string);
    // Output while the command runs, before the CLI has read the marker line: not its answer.
    cli(`err, couldn't resolve command at '${marker}'\n`);
    await Promise.resolve();
    expect(settled).toBe(false);
    cli(`local debugging ('vmi mode')\n\n${P}`);
    cli(unknown(marker));
    expect((await p).endedBy).toBe('marker');
  });
});

describe('command queue: blocking commands (spec §1.8, §2.3, §2.7)', () => {
  it('sends no marker and ends at "debuggee is running..."', async () => {
    const { queue, writes, cli } = rig();
    const p = queue.submit({ line: 'g', completion: 'blocking' });
    expect(writes).toEqual(['g\r']);
    cli('debuggee is running...\n');
    const o = await p;
    expect(o.endedBy).toBe('running');
    expect(o.result.lines).toEqual(['debuggee is running...']);
  });

  it('ends at the next prompt when the command fails', async () => {
    const { queue, cli } = rig();
    const p = queue.submit({
      line: '.debug remote namedpipe \\\\.\\pipe\\nothing',
      completion: 'blocking',
    });
    cli('err, occurred while connecting to the server (2)\nis the virtual machine running?\n\n');
    cli(P);
    const o = await p;
    expect(o.endedBy).toBe('prompt');
    expect(o.result.errors.map((e) => e.code)).toEqual([
      'namedpipe-connect-failed',
      'namedpipe-vm-hint',
    ]);
  });

  it('Debugger Mode: `pause` is forwarded and then blocks until "debuggee is running..." (it resumes the debuggee)', async () => {
    const { queue, writes, cli } = rig();
    const plan = completionFor('pause', 'debugger');
    const p = queue.submit({ line: 'pause', ...plan });
    expect(writes).toEqual(['pause\r']);
    cli('debuggee is running...\n');
    expect((await p).endedBy).toBe('running');
  });

  it('a prompt before the command answered (conhost repainting it with the echo) does not end it', async () => {
    const { queue, cli } = rig();
    const items: string[] = [];
    const line = '.debug remote namedpipe \\\\.\\pipe\\HyperDbgPipe';
    const p = queue
      .submit({ line, ...completionFor(line, 'none') })
      .then((o) => (items.push(o.endedBy), o));
    // The items a repaint gives when the parser does not recognise it as one: a prompt, then
    // the echo, on the line the command was typed on.
    queue.onItem({ type: 'prompt', mode: 'vmi', text: P });
    queue.onItem({ type: 'echo', text: line });
    cli('waiting for debuggee to connect...\n');
    queue.onItem({ type: 'prompt', mode: 'vmi', text: 'HyperDbg>' });
    await Promise.resolve();
    expect(items).toEqual([]);
    cli(
      'connected to debuggee Windows 10 Pro - Client  (OS Build 18363)\ngetting symbol details...\ninterpreting symbols and creating symbol maps\npress CTRL+C to pause the debuggee\ndebuggee is running...\n',
    );
    const o = await p;
    expect(o.endedBy).toBe('running');
    expect(o.items.map((i) => (i.type === 'status' ? i.code : i.type))).toEqual([
      'waiting-for-debuggee',
      'connected-debuggee',
      'getting-symbols',
      'interpreting-symbols',
      'press-ctrl-c',
      'debuggee-running',
    ]);
  });

  it('`.debug remote pause` ends at the kernel prompt, after the pause disassembly (kd.cpp waits for it)', async () => {
    const { queue, cli } = rig();
    const line = '.debug remote pause namedpipe \\\\.\\pipe\\HyperDbgPipe';
    const plan = completionFor(line, 'none');
    expect(plan).toEqual({ completion: 'blocking', until: 'kernel-prompt' });
    const p = queue.submit({ line, ...plan });
    cli(
      'waiting for debuggee to connect...\nconnected to debuggee Windows 10 Pro - Client 22H2 (OS Build 19045)\ngetting symbol details...\ninterpreting symbols and creating symbol maps\npress CTRL+C to pause the debuggee\n',
    );
    cli('fffff801`3c8f2d30    F3 90                                   pause\n\n0: kHyperDbg> ');
    const o = await p;
    expect(o.endedBy).toBe('prompt');
    expect(o.items.map((i) => i.type).slice(-1)).toEqual(['disassembly']);
  });

  it('ends at the prompt after a refusal in words no table row has (and after a usage error)', async () => {
    const { queue, cli } = rig();
    const p = queue.submit({ line: 'g', completion: 'blocking' });
    cli('something went wrong that the table does not know\n\n0: kHyperDbg> ');
    expect((await p).endedBy).toBe('prompt');
    const q = queue.submit({ line: '.debug remote', completion: 'blocking' });
    cli('.debug : debugs a target machine or makes this machine a debuggee.\n\n');
    cli(`${P}`);
    expect((await q).endedBy).toBe('prompt');
  });

  it('a timed-out blocking command that then fails still lets the next command go', async () => {
    const { queue, writes, cli } = rig();
    const a = queue
      .submit({ line: '.debug remote serial 115200 com2', completion: 'blocking', timeoutMs: 20 })
      .catch((e: unknown) => e);
    const b = queue.submit({ line: 'events' });
    expect((await a) as AppError).toMatchObject({ code: 'timeout' });
    expect(writes).toHaveLength(1);
    cli(`err, port can't be opened\n\n${P}`);
    expect(writes).toHaveLength(2);
    // The CLI reads `events` at that prompt, answers it, and prompts again before the marker.
    cli(`no active/disabled events \n\n${P}`);
    cli(unknown(markerOf(writes[1] as string)));
    await b;
  });

  it('holds commands while the CLI reads no input, and sends them when it does', async () => {
    let reading = false;
    const { queue, writes, cli } = rig(() => reading);
    const p = queue.submit({ line: 'events' });
    expect(writes).toEqual([]);
    reading = true;
    queue.pump();
    expect(writes).toHaveLength(1);
    cli(`no active/disabled events \n\n${P}`);
    cli(unknown(markerOf(writes[0] as string)));
    await p;
  });
});

describe('command queue: ConPTY repaint forms (conhost re-renders the typed line)', () => {
  const ESC = '\x1b';
  const PIPE = '.debug remote namedpipe \\\\.\\pipe\\HyperDbgPipe';
  /** How conhost may paint the line `line` was typed on, prompt included. */
  const forms: [name: string, before: string, repaint: (line: string) => string][] = [
    [
      'trimmed prompt, CUP then EL',
      `HyperDbg>${ESC}[K${ESC}[7;11H`,
      (l) => `${ESC}[7;1HHyperDbg> ${l}${ESC}[K\r\n`,
    ],
    ['full prompt, CR then EL', 'HyperDbg> ', (l) => `\rHyperDbg> ${l}${ESC}[K\r\n`],
    [
      'trimmed prompt, CHA to column 1',
      `HyperDbg>${ESC}[K`,
      (l) => `${ESC}[1GHyperDbg> ${l}${ESC}[K\r\n`,
    ],
  ];
  for (const [name, before, repaint] of forms) {
    it(`${name}: a blocking .debug remote ends at "debuggee is running...", not at the repainted prompt`, async () => {
      const { queue, cli } = rig();
      cli(before);
      const p = queue.submit({ line: PIPE, ...completionFor(PIPE, 'none') });
      let ended = false;
      void p.then(() => (ended = true));
      cli(repaint(PIPE));
      cli('waiting for debuggee to connect...\r\n');
      await Promise.resolve();
      expect(ended).toBe(false);
      cli(
        'connected to debuggee Windows 10 Pro - Client 22H2 (OS Build 19045)\r\ngetting symbol details...\r\ninterpreting symbols and creating symbol maps\r\npress CTRL+C to pause the debuggee\r\ndebuggee is running...\r\n',
      );
      const o = await p;
      expect(o.endedBy).toBe('running');
      expect(o.result.lines[0]).toBe('waiting for debuggee to connect...');
    });

    it(`${name}: a marker command answers, TAB-expanded rows included`, async () => {
      const { queue, writes, cli } = rig();
      cli(before);
      const p = queue.submit({ line: 'events' });
      const marker = markerOf(writes[0] as string);
      cli(`${repaint('events')}`);
      cli('0       (enabled)           !syscall script printf("x\\n");\r\n\r\n');
      // The CLI prompts again (painted the same way) and reads the marker line typed ahead.
      cli(
        `${before}${repaint(marker)}err, couldn't resolve command at '${marker}'\r\n\r\n${before}`,
      );
      const o = await p;
      expect(o.items).toEqual([
        {
          type: 'events-row',
          id: 0,
          enabled: true,
          command: '!syscall script printf("x\\n");',
          truncated: false,
        },
      ]);
    });
  }
});

describe('command queue: timeouts and cancellation', () => {
  it('times out a command that never got sent, saying so', async () => {
    const { queue, writes } = rig(() => false);
    const e = await queue.submit({ line: 'events', timeoutMs: 30 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('timeout');
    expect((e as AppError).message).toMatch(/was not sent within 30 ms/);
    expect(writes).toEqual([]);
    expect(queue.count).toBe(0);
  });

  it('abandons a sent command on timeout, sends the next, and drops the late output by its marker', async () => {
    const { queue, writes, cli } = rig();
    const slow = queue.submit({ line: 'unload vmm', timeoutMs: 30 });
    const e = await slow.catch((x: unknown) => x);
    expect((e as AppError).code).toBe('timeout');
    expect((e as AppError).message).toMatch(/keeps running it/);
    const next = queue.submit({ line: '.status' });
    expect(writes).toHaveLength(2);
    // The CLI answers the first command late: its lines must not reach the second.
    cli(`start terminating vmm...\nyou're not on HyperDbg's hypervisor anymore!\n\n${P}`);
    cli(unknown(markerOf(writes[0] as string)));
    cli(`local debugging ('vmi mode')\n\n${P}`);
    cli(unknown(markerOf(writes[1] as string)));
    expect((await next).result.lines).toEqual(["local debugging ('vmi mode')"]);
  });

  it('cancels a waiting command and a running one with an AbortSignal', async () => {
    const { queue, writes, cli } = rig();
    const running = new AbortController();
    const waiting = new AbortController();
    const a = queue.submit({ line: 'events', signal: running.signal });
    const b = queue.submit({ line: '.status', signal: waiting.signal });
    const c = queue.submit({ line: 'lm' });
    waiting.abort();
    expect((await b.catch((x: unknown) => x)) as AppError).toMatchObject({ code: 'cancelled' });
    running.abort();
    expect((await a.catch((x: unknown) => x)) as AppError).toMatchObject({ code: 'cancelled' });
    // `lm` went out after the cancelled `events`; `.status` never did.
    expect(writes.map((w) => w.split('\r')[0])).toEqual(['events', 'lm']);
    cli(`no active/disabled events \n\n${P}`);
    cli(unknown(markerOf(writes[0] as string)));
    cli(`some module list\n\n${P}`);
    cli(unknown(markerOf(writes[1] as string)));
    expect((await c).result.lines).toEqual(['some module list']);
    const pre = new AbortController();
    pre.abort();
    await expect(queue.submit({ line: 'g', signal: pre.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });

  it('fails everything when the CLI is gone, and later submissions too', async () => {
    const { queue } = rig();
    const a = queue.submit({ line: 'events' });
    const b = queue.submit({ line: 'lm' });
    queue.close(new AppError('session', 'hyperdbg-cli ended (exit code 1) before answering'));
    await expect(a).rejects.toMatchObject({ code: 'session' });
    await expect(b).rejects.toMatchObject({ code: 'session' });
    await expect(queue.submit({ line: 'g' })).rejects.toMatchObject({ code: 'session' });
  });
});

describe('command queue: what reaches stdin', () => {
  it('writes only checked single lines plus markers, whatever the console input', async () => {
    const { queue, writes, cli } = rig();
    const corpus = [
      ...HOSTILE_CONSOLE_INPUT,
      'events',
      'g',
      '!syscall script {printf("}");}',
      'x "y"',
    ];
    for (const input of corpus) {
      const r = checkCommandLine(input);
      if (!r.ok) continue;
      const p = queue.submit({ line: r.value });
      cli(P);
      cli(unknown(markerOf(writes[writes.length - 1] as string)));
      await p;
    }
    expect(writes.length).toBe(4);
    for (const w of writes) {
      const lines = w.split('\r');
      expect(lines.pop()).toBe('');
      for (const l of lines) {
        expect(l.trim().length).toBeGreaterThan(0);
        // eslint-disable-next-line no-control-regex -- control characters are what must not pass
        expect(l).not.toMatch(/[\n\x00-\x1f]/);
        expect(cliWaitsForMore(l)).toBe(false);
      }
    }
  });
});
