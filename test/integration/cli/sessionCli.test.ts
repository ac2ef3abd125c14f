// The built headless CLI's `parse` and `build` (`node bin/hyperdbg-studio.mjs ...`, after
// `npm run build`): transcripts written from the spec's strings become the JSON items the issue
// lists; bindings become their command line, or `field: message` on stderr with exit status 2.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsListingText } from '../../../shared/hyperdbg/cliLine';
import { repoRoot } from '../../helpers/paths';

const BIN = join(repoRoot, 'bin/hyperdbg-studio.mjs');
const FIXTURES = join(repoRoot, 'test/fixtures/transcripts');

function cli(args: string[], input: string | Buffer = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}

const P = { type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' };
const blank = { type: 'text', text: '' };
const LOG_ACTION =
  'printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));';
const LISTED = '!syscall script printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $...';

describe('hyperdbg-studio parse', () => {
  it('turns a VMI session transcript (spec strings) into one JSON item per line', () => {
    const r = cli(['parse', '--stats'], readFileSync(join(FIXTURES, 'vmi-session.txt')));
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      {
        type: 'banner',
        version: 'v0.23.0',
        build: '20260803.1412',
        simulator: false,
        text: 'HyperDbg Debugger [version: v0.23.0, build: 20260803.1412]',
      },
      {
        type: 'status',
        code: 'banner-docs',
        text: 'Please visit https://docs.hyperdbg.org for more information...',
        args: [],
      },
      {
        type: 'status',
        code: 'banner-license',
        text: 'HyperDbg is released under the GNU Public License v3 (GPLv3).',
        args: [],
      },
      blank,
      P,
      { type: 'status', code: 'connected-local', text: 'local debugging (vmi-mode)', args: [] },
      blank,
      P,
      { type: 'status', code: 'loading-vmm', text: 'loading the vmm module', args: [] },
      { type: 'status', code: 'vtx-detected', text: 'virtualization technology is vt-x', args: [] },
      {
        type: 'status',
        code: 'vmx-supported',
        text: 'vmx operation is supported by your processor',
        args: [],
      },
      { type: 'status', code: 'vmm-running', text: 'vmm module is running...', args: [] },
      {
        type: 'status',
        code: 'interpreting-symbols',
        text: 'interpreting symbols and creating symbol maps',
        args: [],
      },
      blank,
      P,
      P,
      { type: 'events-row', id: '0', enabled: true, command: LISTED, truncated: true },
      blank,
      P,
      // buffer-records.md §2: the process name (svchost.exe) in 0xf bytes, little-endian words.
      {
        type: 'record',
        eventId: '0',
        core: '2',
        context: '55',
        length: 'f',
        bytes: '737663686f73742e65786500000000',
      },
      {
        type: 'text',
        text: 'HDBG1 0 3 55 f 2e74736f68637673',
        malformed: true,
        reason: '1 payload words for length 0xf; expected 2',
      },
      {
        type: 'kernel-log',
        time: '12:01:02.345',
        core: 3,
        vmxRoot: true,
        level: 'information',
        function: 'DebuggerPerformRunScript',
        line: 1417,
        message: 'Err, ScriptEngineExecute, function = dq',
        text: '(12:01:02.345 - core : 3 - vmx-root? yes)\t [+] Information (DebuggerPerformRunScript:1417) | Err, ScriptEngineExecute, function = dq',
      },
      { type: 'text', text: ' ' },
      {
        type: 'error',
        code: 'unknown-command',
        text: "err, couldn't resolve command at '__hdbg_sync_0003'",
        args: ['__hdbg_sync_0003'],
      },
      blank,
      P,
    ]);
    expect(JSON.parse(r.stderr)).toMatchObject({ records: 1, malformed: 1, prompts: 6, errors: 1 });
  });

  it('reads a ConPTY transcript: escapes, CRLF, echoes and a hard wrap at the given width', () => {
    const r = cli(
      [
        'parse',
        '--wrap-width',
        '25',
        '--echo',
        '.connect local',
        '--echo',
        '!syscall 55 script {print($context);}',
      ],
      readFileSync(join(FIXTURES, 'conpty-session.txt')),
    );
    expect(r.code).toBe(0);
    const items = jsonLines(r.stdout);
    expect(items[0]).toMatchObject({ type: 'banner', version: 'v0.23.0-sim', simulator: true });
    expect(items.slice(3)).toEqual([
      blank,
      P,
      { type: 'echo', text: '.connect local' },
      { type: 'status', code: 'connected-local', text: 'local debugging (vmi-mode)', args: [] },
      blank,
      P,
      { type: 'echo', text: '!syscall 55 script {print($context);}' },
      blank,
      P,
      {
        type: 'record',
        eventId: '1',
        core: '0',
        context: '55',
        length: '8',
        bytes: '4433221100000000',
      },
      P,
    ]);
  });

  it('refuses bad options with the usage and status 2', () => {
    const r = cli(['parse', '--wrap-width', 'wide']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--wrap-width needs a positive whole number[\s\S]*usage: hyperdbg-studio parse/,
    );
  });
});

describe('hyperdbg-studio build', () => {
  it("prints the command line for the issue's example binding", () => {
    const r = cli(
      ['build'],
      '{"kind":"!syscall","args":["55"],"pid":"4","buffer":"18","code":"65488B042588010000"}',
    );
    expect(r).toMatchObject({
      code: 0,
      stdout: '!syscall 55 pid 4 buffer 18 code {65488B042588010000}\n',
    });
    // Custom code: what it does to a stock v0.18-v0.23 target, with the evidence (§5.6).
    expect(r.stderr).toMatch(/^warning: on stock HyperDbg v0\.18-v0\.23: /);
    expect(r.stderr).toMatch(/ExAllocatePool2\(POOL_FLAG_NON_PAGED\), which is non-executable/);
    expect(r.stderr).toMatch(/0xFC ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY/);
    expect(r.stderr).toMatch(/docs\/hyperdbg-v0\.23\.md §5\.6/);
    expect(r.stderr).toMatch(/Use a log action instead/);
    const known = cli(
      ['build', '--allow-nx-crash'],
      '{"kind":"!syscall","args":["55"],"pid":"4","buffer":"18","code":"65488B042588010000"}',
    );
    expect(known).toEqual({ ...r, stderr: '' });
  });

  it('builds the stock log action whose events row the VMI transcript shows', () => {
    const r = cli(
      ['build', '--mode', 'vmi'],
      JSON.stringify({ kind: '!syscall', script: LOG_ACTION }),
    );
    expect(r.code).toBe(0);
    const line = r.stdout.trimEnd();
    expect(line).toBe(`!syscall script {${LOG_ACTION}}`);
    expect(eventsListingText(line)).toBe(LISTED);
  });

  it('prints field: message on stderr and exits 2 for a rejected binding', () => {
    const r = cli(
      ['build', '--mode', 'debugger'],
      '{"kind":"!syscall","code":"90 90","buffer":"3e8"}',
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^buffer: .*0x3e7.*\ncode: .*no spaces.*\n$/);
  });

  it('says so for invalid JSON, a non-object and an unknown mode', () => {
    expect(cli(['build'], '{"kind":')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^binding: is not valid JSON/),
    });
    expect(cli(['build'], '[1]')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^binding: must be a JSON object/),
    });
    expect(cli(['build', '--mode', 'kernel'], '{}')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--mode takes vmi or debugger/),
    });
  });

  it('warns on stderr about accepted but risky choices, and still prints the line', () => {
    const r = cli(['build'], JSON.stringify({ kind: '!syscall', imm: 'no', script: 'print(1);' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('!syscall imm no script {print(1);}\n');
    expect(r.stderr).toMatch(/^warning: imm no/);
  });
});
