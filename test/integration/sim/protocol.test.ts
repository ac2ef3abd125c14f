// The simulator's text protocol through a real pty, checked against hyperdbg-cli v0.23's exact
// strings as the spec (docs/hyperdbg-v0.23.md) quotes them; each test cites its
// section. Expected text comes from the spec, never from the simulator's own output.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultilineTracker } from '../../../electron/sim/protocol/multiline';
import { distDir } from '../../helpers/paths';
import { bannerPattern, PROMPT_AT_END, startSim, stripVt, type SimPty } from '../../helpers/simPty';

const P = 'HyperDbg> ';
const BREAK_IN_VMI =
  'err, the script or assembly code is either not found or invalid. As a result, the default action is to break. However, breaking to the debugger is not possible in the VMI Mode. To achieve full control of the system, you can switch to the Debugger Mode. In the VMI Mode, you can still use scripts and run custom code for local debugging.For more information, please check: https://docs.hyperdbg.org/using-hyperdbg/prerequisites/operation-modes\n';
const VMM_NOT_LOADED =
  "the vmm (virtualization) module is not loaded. Did you use 'load vmm' command?\n";
const LOAD_VMM =
  'loading the vmm module\nvirtualization technology is vt-x\nvmx operation is supported by your processor\nvmm module is running...\ninterpreting symbols and creating symbol maps\n';
/** A script action that never prints: registers an event without producing output. */
const QUIET = 'script { .q = 1; }';

async function connected(extra: string[] = []): Promise<SimPty> {
  const sim = await startSim(['--seed', '7', '--pacing', 'fast', '--rate', '200', ...extra]);
  await sim.run('.connect local');
  await sim.run('load vmm');
  return sim;
}

describe('start-up, prompts and line reading (spec §1)', () => {
  let sim: SimPty;
  beforeAll(async () => {
    sim = await startSim(['--seed', '1']);
  });
  afterAll(() => sim.kill());

  it('prints the banner with the simulator version, then the first prompt (§1.2, buffer-records §1)', () => {
    expect(sim.output).toMatch(bannerPattern('v0.23.0-sim'));
  });

  it('answers an unknown command with the sync-marker error, a blank line and a prompt (§1.8)', async () => {
    expect(await sim.run('__hdbg_sync_0001')).toBe(
      `err, couldn't resolve command at '__hdbg_sync_0001'\n\n${P}`,
    );
  });

  it('treats TAB as part of a token, not a separator (§1.3)', async () => {
    expect(await sim.run('!epthook\tnt!Foo')).toBe(
      `err, couldn't resolve command at '!epthook\tnt!Foo'\n\n${P}`,
    );
  });

  it('prints "\\n" then main\'s "\\n" for an empty line (§1.3 step 5)', async () => {
    expect(await sim.run('')).toBe(`\n\n${P}`);
  });

  it('repeats a REPEAT_ON_ENTER command (g) on an empty line, so no extra blank line (§1.3 step 5)', async () => {
    expect(await sim.run('g')).toBe(`\n${P}`);
    expect(await sim.run('')).toBe(`\n${P}`);
    await sim.run('__sync');
    expect(await sim.run('')).toBe(`\n\n${P}`);
  });

  it('accepts \\n and \\r\\n as Enter without an extra empty command (§1.3)', async () => {
    let m = sim.mark();
    sim.write('__a\n');
    expect(await sim.waitFor(/__a'\n\nHyperDbg> $/, m)).toBe(
      `err, couldn't resolve command at '__a'\n\n${P}`,
    );
    m = sim.mark();
    sim.write('__b\r\n__c\r');
    const out = await sim.waitFor(/__c'\n\nHyperDbg> $/, m);
    expect(out).toBe(
      `err, couldn't resolve command at '__b'\n\n${P}err, couldn't resolve command at '__c'\n\n${P}`,
    );
  });

  it('continues an unclosed `{` with "> " and runs the joined command (§1.3 step 4, §1.4)', async () => {
    const m = sim.mark();
    sim.send('__x {');
    await sim.waitFor(/> $/, m);
    sim.send('  still open');
    await sim.waitFor(/> > $/, m);
    sim.send('}');
    const out = await sim.waitFor(/HyperDbg> $/, m);
    expect(out).toBe(`> > err, couldn't resolve command at '__x'\n\n${P}`);
  });

  it('cuts an unquoted // comment (§1.3)', async () => {
    expect(await sim.run('__y //comment')).toBe(`err, couldn't resolve command at '__y'\n\n${P}`);
  });

  it('takes command names case-insensitively (§1.3)', async () => {
    expect(await sim.run('.STATUS')).toBe(
      `err, you're not connected to any instance of HyperDbg\n\n${P}`,
    );
  });
});

describe('--stock banner (buffer-records §1)', () => {
  it('prints v0.23.0 without the -sim suffix', async () => {
    const sim = await startSim(['--stock', '--seed', '1']);
    expect(sim.output).toMatch(bannerPattern('v0.23.0'));
    sim.kill();
  });
});

describe('Ctrl+C and end of input (§1.3, §1.7, §2.7)', () => {
  it('ends the process when Ctrl+C comes before the first command (§1.3)', async () => {
    const sim = await startSim(['--seed', '1']);
    sim.write('\x03');
    expect(await sim.exited()).not.toBe(0);
  });

  it('on end of input prints "\\n\\n" and a prompt once, drops an unterminated last line, and exits 0 (§1.7)', () => {
    // Over a pipe rather than a pty: a closed pipe is the plainest end of input.
    const r = spawnSync(process.execPath, [join(distDir, 'sim/index.mjs'), '--seed', '1'], {
      input: '__x\npartial',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/^[^]*?\n\nHyperDbg> /, '')).toBe(
      `err, couldn't resolve command at '__x'\n\n${P}\n\n${P}`,
    );
  });

  it('on ^D at an empty line (end of input) prints "\\n\\n" and a prompt, and exits 0 (§1.7)', async () => {
    const sim = await startSim(['--seed', '1']);
    await sim.run('__first');
    const m = sim.mark();
    sim.write('\x04');
    expect(await sim.exited()).toBe(0);
    expect(sim.since(m)).toBe(`\n\n${P}`);
  });

  it('Ctrl+C at the prompt without the kd module: getline fails, "\\n\\n" and a prompt (§1.7, §2.7)', async () => {
    const sim = await startSim(['--seed', '1']);
    await sim.run('__first');
    const m = sim.mark();
    sim.write('typed but abandoned\x03');
    await sim.waitFor(/HyperDbg> $/, m);
    await new Promise((r) => setTimeout(r, 450));
    expect(sim.since(m)).toBe(`\n\n${P}`);
    expect(await sim.run('__after')).toBe(`err, couldn't resolve command at '__after'\n\n${P}`);
    sim.kill();
  });

  it('Ctrl+C with the vmm loaded: the handler prints the pause message and a prompt after 300 ms; the next event command auto-unpauses with an extra "\\n" (§2.7)', async () => {
    const sim = await connected();
    const m = sim.mark();
    sim.write('\x03');
    const out = await sim.waitFor(/settings autounpause off'\n\nHyperDbg> $/, m);
    expect(out).toBe(
      `\n\n${P}\npausing...\nauto-unpause mode is enabled, debugger will automatically continue when you run a new event command, if you want to change this behaviour then run run 'settings autounpause off'\n\n${P}`,
    );
    expect(await sim.run(`!cpuid ${QUIET}`)).toBe(`\n\n${P}`);
    expect(await sim.run(`!cpuid ${QUIET}`)).toBe(`\n${P}`);
    sim.kill();
  });
});

describe('connection, modules, status (§2.1, §2.2, §2.5, §2.6, §2.11)', () => {
  let sim: SimPty;
  beforeAll(async () => {
    sim = await startSim(['--seed', '2', '--pacing', 'fast']);
  });
  afterAll(() => sim.kill());

  it('refuses load and status before .connect (§2.6, §2.11)', async () => {
    expect(await sim.run('load vmm')).toBe(
      `you're not connected to any instance of HyperDbg, did you use '.connect'? \n\n${P}`,
    );
    expect(await sim.run('.status')).toBe(
      `err, you're not connected to any instance of HyperDbg\n\n${P}`,
    );
    expect(await sim.run('.disconnect')).toBe(
      `you're not connected to any instance of HyperDbg, did you use '.connect'? \n\n${P}`,
    );
  });

  it('gives the usage error for a bare .connect and a bare unload (§2.1, §2.6)', async () => {
    expect(await sim.run('.connect')).toMatch(
      /^incorrect use of the '\.connect'\n\n.+HyperDbg> $/s,
    );
    expect(await sim.run('unload')).toMatch(/^incorrect use of the 'unload'\n\n.+HyperDbg> $/s);
  });

  it('checks .connect <ip> [port] and refuses the connection (§2.2)', async () => {
    expect(await sim.run('.connect 300.1.2.3')).toBe(`incorrect ip address\n\n${P}`);
    expect(await sim.run('.connect 10.0.0.1 99999')).toBe(`incorrect port\n\n${P}`);
    expect(await sim.run('.connect 10.0.0.1 notaport')).toBe(`incorrect port\n\n${P}`);
    expect(await sim.run('.connect 192.168.1.5 50000')).toBe(
      `unable to connect to the server\n\n${P}`,
    );
    expect(await sim.run('.connect 192.168.1.5')).toBe(`unable to connect to the server\n\n${P}`);
  });

  it('connects locally without changing the prompt, and refuses a second connect (§2.1, §1.4)', async () => {
    expect(await sim.run('.connect local')).toBe(`local debugging (vmi-mode)\n\n${P}`);
    expect(await sim.run('.connect local')).toBe(
      `you're connected to a debugger, please use '.disconnect' command\n\n${P}`,
    );
    expect(await sim.run('.status')).toBe(`local debugging ('vmi mode')\n\n${P}`);
  });

  it('refuses events before load vmm, using up the ID (§3.6, §3.1)', async () => {
    expect(await sim.run(`!syscall ${QUIET}`)).toBe(`${VMM_NOT_LOADED}\n${P}`);
  });

  it("loads the vmm with the spec's sequence and refuses a second load (§2.6)", async () => {
    expect(await sim.run('load vmm')).toBe(`${LOAD_VMM}\n${P}`);
    expect(await sim.run('load vmm')).toBe(
      `the vmm module is already running, if you use 'load' before, please first unload it using the 'unload' command\n\n${P}`,
    );
    expect(await sim.run('load nothing')).toBe(`err, module not found\n\n${P}`);
  });

  it('refuses .disconnect while the driver is loaded (§2.5)', async () => {
    expect(await sim.run('.disconnect')).toBe(
      `you cannot disconnect in local debugging while the driver is still loaded. please use 'unload' command before disconnecting from the current instance of debugger\n\n${P}`,
    );
  });

  it('g prints nothing and pause prints "pausing..." in VMI mode (§2.7)', async () => {
    expect(await sim.run('pause')).toBe(`pausing...\n\n${P}`);
    expect(await sim.run('g')).toBe(`\n${P}`);
  });

  it('unloads the vmm (with the 1 s wait), keeps the event list, and says "loadedd" twice after (§2.6, §9.18)', async () => {
    await sim.run(`!cpuid ${QUIET}`);
    expect(await sim.run('unload vmm')).toBe(
      `start terminating vmm...\nyou're not on HyperDbg's hypervisor anymore!\nthe debugger module is unloaded!\n\n${P}`,
    );
    expect(await sim.run('unload vmm')).toBe(`the vmm module is not loadedd\n\n${P}`);
    // The listing asks the (now absent) driver live: an error line, and the row shows disabled (§4).
    expect(await sim.run('events')).toBe(
      `${VMM_NOT_LOADED}1\t(disabled)\t    !cpuid script  .q = 1;  \n\n${P}`,
    );
    expect(await sim.run('.disconnect')).toBe(`disconnected successfully\n\n${P}`);
  });

  it('exit ends the process with code 0 (§2.8)', async () => {
    sim.send('exit');
    expect(await sim.exited()).toBe(0);
  });
});

describe('events listing and modification (§4)', () => {
  let sim: SimPty;
  beforeAll(async () => {
    sim = await connected();
  });
  afterAll(() => sim.kill());

  it('says "no active/disabled events " with a trailing space when empty (§4)', async () => {
    expect(await sim.run('events')).toBe(`no active/disabled events \n\n${P}`);
    expect(await sim.run('events e 0')).toBe(`err, tag id is invalid\n\n${P}`);
    expect(await sim.run('events c all')).toBe(`there is no event\n\n${P}`);
  });

  it('lists oldest first with tabs and four spaces, braces and quotes removed, cut to 70 chars plus "..." (§4)', async () => {
    expect(
      await sim.run('!syscall 55 pid 4 buffer 40 code {9090} script { printf("x\\n"); }'),
    ).toBe(`\n${P}`);
    expect(
      await sim.run(
        '!epthook nt!NtCreateFile script {   printf("pid %x name %s\\n", $pid, $pname);   }',
      ),
    ).toBe(`\n${P}`);
    expect(await sim.run('events')).toBe(
      '0\t(enabled)\t    !syscall 55 pid 4 buffer 40 code 9090 script  printf("x\\n");  \n' +
        '1\t(enabled)\t    !epthook nt!NtCreateFile script    printf("pid %x name %s\\n", $pid, $p...\n' +
        `\n${P}`,
    );
  });

  it('replaces the newlines of a multi-line command with spaces in the listing (§4)', async () => {
    const m = sim.mark();
    sim.send('!cpuid script {');
    await sim.waitFor(/> $/, m);
    sim.send('.q = 2;');
    await sim.waitFor(/> > $/, m);
    sim.send('}');
    await sim.waitFor(/HyperDbg> $/, m);
    const out = await sim.run('events');
    expect(out).toContain('2\t(enabled)\t    !cpuid script  .q = 2;  \n');
  });

  it('disables, enables and clears with no output, and checks the ID (§4)', async () => {
    expect(await sim.run('events d 1')).toBe(`\n${P}`);
    expect(await sim.run('events')).toContain('1\t(disabled)\t    !epthook');
    expect(await sim.run('events e 1')).toBe(`\n${P}`);
    expect(await sim.run('events c 0')).toBe(`\n${P}`);
    expect(await sim.run('events e 0')).toBe(`err, tag id is invalid\n\n${P}`);
    expect(await sim.run('events')).toMatch(/^1\t\(enabled\)\t {4}!epthook nt!NtCreateFile /);
  });

  it("rejects bad sub-commands and values with the spec's messages (§4)", async () => {
    expect(await sim.run('events x 1')).toMatch(/^incorrect use of the 'events'\n\n/);
    expect(await sim.run('events e')).toMatch(/^incorrect use of the 'events'\n\n/);
    expect(await sim.run('events e nothex')).toMatch(
      /^please specify a correct hex value for tag id \(event number\)\n\n/,
    );
    expect(await sim.run('events sc on')).toBe(
      `err, handle to remote debuggee's com port is not found\n\n${P}`,
    );
    expect(await sim.run('events sc maybe')).toMatch(
      /^please specify a correct 'on' or 'off' state for the short-circuiting state\n\n/,
    );
  });

  it('does not reset IDs on "events c all" (§4, §3.1)', async () => {
    expect(await sim.run('events c all')).toBe(`\n${P}`);
    expect(await sim.run('events')).toBe(`no active/disabled events \n\n${P}`);
    await sim.run(`!cpuid ${QUIET}`);
    expect(await sim.run('events')).toBe(`3\t(enabled)\t    !cpuid script  .q = 1;  \n\n${P}`);
  });
});

describe('the ID consumption rule (§3.1)', () => {
  it('uses up an ID for failures after step 6 only', async () => {
    const sim = await connected();
    // Token-count check (step 1): no ID.
    expect(await sim.run('!epthook')).toMatch(/^incorrect use of the '!epthook'\n\n/);
    // Script syntax error (step 4): no ID.
    expect(await sim.run('!cpuid script { printf("%X\\n"); printf("%d"); }')).toMatch(
      /Syntax Error: Invalid Syntax\n\nHyperDbg> $/,
    );
    // Unknown output name (step 5): no ID.
    expect(await sim.run(`!cpuid output {sink} ${QUIET}`)).toBe(
      `err, the name you entered, not found. Did you use 'output' command to create it?\n\n${P}`,
    );
    // After the ID is assigned: a missing keyword value (ID 0), break in VMI (ID 1), a
    // command-specific error (ID 2), a kernel error (ID 3).
    expect(await sim.run(`!cpuid pid ${QUIET}`)).toBe(
      `err, please specify a value for 'pid'\n\n${P}`,
    );
    expect(await sim.run('!cpuid')).toBe(`${BREAK_IN_VMI}\n${P}`);
    expect(await sim.run(`!crwrite 3 ${QUIET}`)).toMatch(
      /^please choose either 0 for cr0 or 4 for cr4\n/,
    );
    expect(await sim.run(`!cpuid core 40 ${QUIET}`)).toBe(
      `err, invalid core id (c0000006)\n\n${P}`,
    );
    // The next success gets ID 4.
    expect(await sim.run(`!cpuid ${QUIET}`)).toBe(`\n${P}`);
    expect(await sim.run('events')).toBe(`4\t(enabled)\t    !cpuid script  .q = 1;  \n\n${P}`);
    sim.kill();
  });
});

describe('code and condition hex rules (§3.2), buffer (§3.5), keywords (§3.4, §3.7)', () => {
  let sim: SimPty;
  beforeAll(async () => {
    sim = await connected();
  });
  afterAll(() => sim.kill());

  it('rejects spaces inside code {} with the hex-notation message, then breaks in VMI (§3.2)', async () => {
    expect(await sim.run('!cpuid code { 90 90 }')).toBe(
      `please enter condition code in a hex notation\n${BREAK_IN_VMI}\n${P}`,
    );
  });

  it('rejects a mid-string \\X, and uses the same message for condition (§3.2)', async () => {
    expect(await sim.run('!cpuid code {\\x90\\X90}')).toBe(
      `please enter condition code in a hex notation\n${BREAK_IN_VMI}\n${P}`,
    );
    expect(await sim.run(`!cpuid condition {zz} ${QUIET}`)).toMatch(
      /^please enter condition code in a hex notation\n/,
    );
  });

  it('accepts 0x, \\x, mixed case and odd-length hex (§3.2)', async () => {
    for (const c of ['{90909090}', '{0x9090}', '{\\x90\\x90}', '{FFfe}', '{909}']) {
      expect(await sim.run(`!cpuid 12345 code ${c}`)).toBe(`\n${P}`);
    }
  });

  it('reports code with a script as "unknown parameter \'code\'" when the hex is bad (§3.2 step 7)', async () => {
    const out = await sim.run(`!cpuid code {zz} ${QUIET}`);
    expect(out.startsWith('please enter condition code in a hex notation\n')).toBe(true);
    expect(out).toMatch(/unknown parameter 'code'\n\n/);
  });

  it('drops buffer >= 0x3e8 without a word, keeping the event listed (§3.5)', async () => {
    expect(await sim.run(`!cpuid 12345 buffer 3e8 ${QUIET}`)).toBe(`\n${P}`);
    expect(await sim.run('!cpuid 12345 buffer zz code {90}')).toBe(
      `err, buffer size is invalid\n\n${P}`,
    );
  });

  it('checks pid, core, imm, stage, sc and their combination (§3.4, §3.7)', async () => {
    expect(await sim.run(`!cpuid pid nope ${QUIET}`)).toBe(`err, pid is invalid\n\n${P}`);
    expect(await sim.run(`!cpuid core nope ${QUIET}`)).toBe(`err, core id is invalid\n\n${P}`);
    expect(await sim.run(`!cpuid imm maybe ${QUIET}`)).toBe(
      `err, immediate messaging token is invalid\n\n${P}`,
    );
    expect(await sim.run(`!cpuid stage middle ${QUIET}`)).toBe(
      `err, the specified execution mode is invalid; you can either choose 'pre' or 'post'\n\n${P}`,
    );
    expect(await sim.run(`!cpuid sc maybe ${QUIET}`)).toBe(
      `err, the specified short-circuiting state is invalid; you can either choose 'on' or 'off'\n\n${P}`,
    );
    for (const k of ['core', 'buffer', 'imm', 'stage', 'sc']) {
      expect(await sim.run(`!cpuid ${QUIET} ${k}`)).toBe(
        `err, please specify a value for '${k}'\n\n${P}`,
      );
    }
    expect(await sim.run(`!cpuid stage post sc on ${QUIET}`)).toBe(
      `err, using the short-circuiting mechanism with 'post' or 'all' stage events doesn't make sense; it's not supported!\n\n${P}`,
    );
  });

  it("prints the script engine's error format for a width in printf (§3.3, §5.1)", async () => {
    const out = await sim.run('!cpuid script { printf("%02x\\n", @rax); }');
    expect(out).toMatch(
      /^Line \d+:\n printf\("%02x\\n", @rax\); \n *\^\nSyntax Error: Invalid Syntax\n\nHyperDbg> $/,
    );
  });
});

describe('per-command arguments and messages (§3.8)', () => {
  let sim: SimPty;
  beforeAll(async () => {
    sim = await connected();
  });
  afterAll(() => sim.kill());
  const ok = `\n${P}`;

  it('!syscall, !syscall2, !sysret (§3.8)', async () => {
    expect(await sim.run(`!syscall 55 ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!syscall2 ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!syscall 55 66 ${QUIET}`)).toMatch(
      /^unknown parameter '66'\n\n!syscall : /,
    );
    expect(await sim.run(`!sysret 1 2 3 ${QUIET}`)).toBe(ok); // extra tokens ignored (§9.15)
  });

  it('!epthook / !epthook2: symbols, expressions, stages and errors (§3.8)', async () => {
    expect(await sim.run(`!epthook nt!ExAllocatePoolWithTag ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!epthook2 nt!ExAllocatePoolWithTag+5 ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!epthook2 fffff800\`4ed6f010 ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!epthook nt!ExAllocatePoolWithTag stage post ${QUIET}`)).toBe(
      `the utilization of 'post' or 'all' event calling stages is not meaningful for the hidden hook; therefore, this command does not support them\n\n${P}`,
    );
    expect(await sim.run(`!epthook nt!NoSuchFunction ${QUIET}`)).toMatch(
      /err, couldn't resolve error at 'nt!NoSuchFunction'\n\n!epthook : /,
    );
    expect(await sim.run(`!epthook2 nt!NtReadFile 1 ${QUIET}`)).toMatch(
      /^unknown parameter '1'\n\n!epthook2 : /,
    );
    expect(await sim.run(`!epthook 0 ${QUIET}`)).toBe(
      `please choose an address to put the hidden breakpoint on it\n\n${P}`,
    );
    expect(await sim.run(`!epthook2 0 ${QUIET}`)).toBe(
      `please choose an address to put the hook on it\n\n${P}`,
    );
    expect(await sim.run(`!epthook 1000 ${QUIET}`)).toBe(
      `err, invalid address (c0000005)\naddress may be paged-out or unavailable on the page table due to 'demand paging'\nplease refer to https://docs.hyperdbg.org/tips-and-tricks/considerations/accessing-invalid-address for further information\n\n${P}`,
    );
  });

  it('!monitor (§3.8)', async () => {
    expect(await sim.run('!monitor')).toMatch(/^incorrect use of the '!monitor'\n\n/);
    expect(await sim.run(`!monitor rw nt!Kd_DEFAULT_Mask l 4 ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!monitor nt!Kd_DEFAULT_Mask l 4 ${QUIET}`)).toBe(
      `please specify the attribute(s) that you want to monitor (r, w, x, rw, rx, wx, rwx)\n\n${P}`,
    );
    expect(await sim.run(`!monitor rw fffff8004f031d80 fffff8004f031d00 ${QUIET}`)).toBe(
      `please choose the 'from' value first, then choose the 'to' value\n\n${P}`,
    );
    expect(await sim.run(`!monitor rw l ${QUIET}`)).toBe(
      `please choose the 'from' or 'to' values or specify the length\n\n${P}`,
    );
    expect(await sim.run(`!monitor rw nt!Kd_DEFAULT_Mask l nope ${QUIET}`)).toBe(
      `err, you should enter a valid length\n\n\n${P}`,
    );
  });

  it('!msrread, !msrwrite, !cpuid, !ioin, !ioout, !xsetbv take one optional number (§3.8)', async () => {
    for (const c of [
      '!msrread c0000082',
      '!msread',
      '!msrwrite 6e0',
      '!cpuid 1',
      '!ioin 64',
      '!ioout',
      '!xsetbv 0',
    ]) {
      expect(await sim.run(`${c} ${QUIET}`)).toBe(ok);
    }
    for (const c of ['!msrread', '!msrwrite', '!cpuid', '!ioin', '!ioout', '!xsetbv']) {
      expect(await sim.run(`${c} zz ${QUIET}`)).toMatch(
        new RegExp(`^unknown parameter 'zz'\\n\\n${c} : `),
      );
    }
  });

  it('!exception rejects 0x1f although its message says up to 0x1f (§3.8, §9.14)', async () => {
    expect(await sim.run(`!exception 1e ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!exception 1f ${QUIET}`)).toMatch(
      /^the entry should be between 0x0 to 0x1f or first 32 entries'\n\n!exception : /,
    );
  });

  it('!interrupt needs an index in 0x20..0xff (§3.8)', async () => {
    expect(await sim.run(`!interrupt d1 ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!interrupt 10 ${QUIET}`)).toMatch(
      /^the entry should be between 0x20 to 0xFF or the entries between 32 to 255\n\n!interrupt : /,
    );
    expect(await sim.run(`!interrupt ${QUIET}`)).toMatch(
      /^please specify an interrupt index to monitor, HyperDbg doesn't support to trigger events on all interrupts because it's not reasonable and make the system unresponsive\n!interrupt : /,
    );
  });

  it('!tsc, !pmc, !dr, !vmcall take no argument (§3.8)', async () => {
    for (const c of ['!tsc', '!pmc', '!dr', '!vmcall']) {
      expect(await sim.run(`${c} ${QUIET}`)).toBe(ok);
      expect(await sim.run(`${c} 1 ${QUIET}`)).toMatch(
        new RegExp(`^incorrect use of the '${c}'\\n\\n${c} : `),
      );
    }
  });

  it('!crwrite needs 0 or 4 (§3.8)', async () => {
    expect(await sim.run(`!crwrite 4 ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!crwrite 0 10000 ${QUIET}`)).toBe(ok);
    expect(await sim.run('!crwrite')).toMatch(/^incorrect use of the '!crwrite'\n\n/);
    expect(await sim.run(`!crwrite 3 ${QUIET}`)).toMatch(
      /^please choose either 0 for cr0 or 4 for cr4\n!crwrite : /,
    );
  });

  it('!mode needs a mode and a pid; a bad mode is reported without crashing (§3.8, §9.15)', async () => {
    expect(await sim.run(`!mode u pid 4 ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!mode ku ${QUIET}`)).toBe(
      `this event only applies to the selected process(es). please specify the 'pid' or the process id of the target process that you want to trap its execution\n\n${P}`,
    );
    expect(await sim.run(`!mode pid 4 ${QUIET}`)).toBe(
      `please specify the mode(s) that you want to intercept their execution (u, k, ku)\n\n${P}`,
    );
    expect(await sim.run(`!mode zz pid 4 ${QUIET}`)).toMatch(
      /^err, couldn't resolve error at 'zz'\n\n!mode : /,
    );
    expect(await sim.run('__still_alive')).toBe(
      `err, couldn't resolve command at '__still_alive'\n\n${P}`,
    );
  });

  it('!trace needs a type; a bad type is reported without crashing (§3.8)', async () => {
    expect(await sim.run(`!trace step-in ${QUIET}`)).toBe(ok);
    expect(await sim.run(`!trace ${QUIET}`)).toBe(`please specify the trace type\n\n${P}`);
    expect(await sim.run(`!trace sideways ${QUIET}`)).toMatch(
      /^err, couldn't resolve error at 'sideways'\n\n!trace : /,
    );
    expect(await sim.run('__still_alive')).toBe(
      `err, couldn't resolve command at '__still_alive'\n\n${P}`,
    );
  });
});

describe('Debugger Mode (§2.3, §2.4, §2.7, §1.4)', () => {
  it("validates .debug arguments with the spec's messages (§2.3)", async () => {
    const sim = await startSim(['--seed', '3']);
    expect(await sim.run('.debug remote')).toMatch(/^incorrect use of the '\.debug'\n\n/);
    expect(await sim.run('.debug remote serial 12345 com1')).toMatch(
      /^err, baud rate is invalid\n\n\.debug : /,
    );
    expect(await sim.run('.debug remote serial 115200 com9')).toMatch(
      /^err, COM port is invalid\n\n\.debug : /,
    );
    expect(await sim.run('.debug remote prepare serial 115200 com1')).toMatch(
      /^err, both 'remote' and 'prepare' can't be used together\n\n/,
    );
    expect(await sim.run('.debug serial 115200 com1')).toMatch(
      /^err, either 'remote' or 'prepare' should be used\n\n/,
    );
    expect(await sim.run('.debug prepare pause serial 115200 com1')).toMatch(
      /^err, 'pause' cannot be used with 'prepare'\n\n/,
    );
    expect(await sim.run('.debug prepare namedpipe \\\\.\\pipe\\x')).toMatch(
      /^err, named pipe cannot be used with 'prepare'\n\n/,
    );
    expect(await sim.run('.debug remote serial com1 x')).toMatch(
      /^err, couldn't resolve error at 'x'\n\n/,
    );
    expect(await sim.run('.debug remote serial com1 pause')).toMatch(
      /^err, COM port address or baudrate is unknown\n\n/,
    );
    expect(await sim.run('.debug close')).toBe(
      `err, debugger is not attached to any instance of debuggee\n\n${P}`,
    );
    expect(await sim.run('.debug remote namedpipe nopipe')).toBe(
      `err, occurred while connecting to the server (2)\nis the virtual machine running?\n\n${P}`,
    );
    sim.kill();
  });

  it('connects, runs until Ctrl+C, pauses with a disassembly line and the kernel prompt; breaks on an event; closes (§2.3, §2.7, §2.4)', async () => {
    const sim = await startSim(['--seed', '3', '--pacing', 'fast', '--rate', '2000']);
    let m = sim.mark();
    sim.send('.debug remote namedpipe \\\\.\\pipe\\HyperDbgPipe');
    const connectOut = await sim.waitFor('debuggee is running...\n', m);
    expect(connectOut).toMatch(
      /^waiting for debuggee to connect\.\.\.\nconnected to debuggee [^\n]*\ngetting symbol details\.\.\.\ninterpreting symbols and creating symbol maps\npress CTRL\+C to pause the debuggee\ndebuggee is running\.\.\.\n$/,
    );
    m = sim.mark();
    sim.write('\x03');
    const paused = await sim.waitFor(/[0-9a-f]+: kHyperDbg> $/, m);
    // Optional symbol line, then "<hi8>`<lo8>   " + " %02X" bytes padded to 12 + " <mnemonic>" (§2.7).
    expect(paused).toMatch(
      /^(?:[^\n]+:\n)?[0-9a-f]{8}`[0-9a-f]{8} {4}(?:[0-9A-F]{2} ){0,11}[0-9A-F]{2} +[a-z][^\n]*\n\n0: kHyperDbg> $/,
    );
    const disasm = paused.split('\n').find((l) => l.includes('`')) as string;
    const bytes = disasm.slice(20, 20 + 36); // after 17 address characters and 3 spaces
    expect(bytes).toMatch(/^( [0-9A-F]{2}| {3}){12}$/);
    expect(await sim.run('.status')).toBe(
      "remote debugging - debugger ('debugger mode')\n\n0: kHyperDbg> ",
    );
    // An event with neither code nor script breaks (allowed in Debugger Mode, §3.7).
    expect(await sim.run('!syscall 55')).toBe('\n0: kHyperDbg> ');
    expect(await sim.run('events')).toBe('0\t(enabled)\t    !syscall 55 \n\n0: kHyperDbg> ');
    m = sim.mark();
    sim.send('g');
    const hit = await sim.waitFor(/[0-9a-f]+: kHyperDbg> $/, m, 20_000);
    expect(hit).toMatch(
      /^debuggee is running\.\.\.\nevent 0x0 triggered \(pre\)\n[0-9a-f]{8}`[0-9a-f]{8} {4}[^\n]+\n\n[0-9a-f]+: kHyperDbg> $/,
    );
    m = sim.mark();
    sim.send('.debug close');
    // No newline after the message: main's "\n" ends it, then the prompt is HyperDbg> again (§2.4).
    expect(await sim.waitFor(/HyperDbg> $/, m)).toBe(
      `unloading debugger vmm module on debuggee...\n${P}`,
    );
    sim.kill();
  });
});

describe('--conpty artifacts (§1.7)', () => {
  it('echoes input, adds VT sequences, \\r\\n and hard wraps at the pty width', async () => {
    const sim = await startSim(['--seed', '1', '--conpty'], { cols: 40 });
    expect(sim.output).toContain(`${String.fromCharCode(0x1b)}[`);
    const m = sim.mark();
    sim.send('__a_long_unknown_command_that_wraps_the_pty');
    const out = await sim.waitFor(PROMPT_AT_END, m);
    const plain = stripVt(out);
    expect(plain).toContain('__a_long_unknown_command_that_wraps_the_pty'.slice(0, 30));
    expect(plain).toContain('\r\n');
    for (const line of plain.split('\r\n')) expect(line.length).toBeLessThanOrEqual(40);
    expect(plain.replaceAll('\r\n', '')).toContain(
      "err, couldn't resolve command at '__a_long_unknown_command_that_wraps_the_pty'",
    );
    sim.kill();
  });
});

describe('hostile input never crashes the simulator', () => {
  it('survives random command lines and keeps answering the sync marker', async () => {
    const sim = await connected();
    let x = 12345;
    const rnd = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    const pieces = [
      '!syscall',
      '!epthook',
      '!monitor',
      '!mode',
      '!trace',
      'events',
      'code',
      'condition',
      'script',
      'buffer',
      'pid',
      'core',
      'stage',
      'imm',
      'sc',
      'output',
      '{',
      '}',
      '"',
      '\\',
      '//',
      '/*',
      '*/',
      'printf("%llx %s %ws %d\\n", @rax, $pname, 1, 2);',
      'dq(0)',
      '%',
      '0x',
      'nt!',
      'nt!Foo+',
      'ffffffffffffffff',
      '`',
      'all',
      'e',
      'd',
      'c',
      'rw',
      'l',
      '.debug',
      'remote',
      'serial',
      'namedpipe',
      '\t',
      'é',
      '1e3',
      '-1',
    ];
    for (let i = 0; i < 300; i++) {
      const n = 1 + rnd(8);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(pieces[rnd(pieces.length)] as string);
      let line = parts.join(rnd(2) === 0 ? ' ' : '');
      // Unbalanced braces or quotes would continue on "> " (spec §1.3); close them so each
      // fuzz line is one command and the sync marker below stays a command of its own.
      for (let guard = 0; guard < 50 && new MultilineTracker().feed(line, true); guard++) {
        line += new MultilineTracker().feed(`${line}"`, true) ? '}' : '"';
      }
      sim.send(line);
    }
    const m = sim.mark();
    sim.send('__hdbg_sync_fuzz');
    await sim.waitFor("err, couldn't resolve command at '__hdbg_sync_fuzz'\n\n", m, 30_000);
    expect(sim.output).not.toContain('simulator internal error');
    sim.kill();
  }, 60_000);

  it('drops an action too big for the simulated pool without a word (spec §3.5)', async () => {
    const sim = await connected();
    const huge = '90'.repeat(5 * 1024 * 1024);
    expect(await sim.run(`!cpuid code {${huge}}`, 30_000)).toBe(`\n${P}`);
    expect(await sim.run('__alive')).toBe(`err, couldn't resolve command at '__alive'\n\n${P}`);
    sim.kill();
  }, 60_000);
});
