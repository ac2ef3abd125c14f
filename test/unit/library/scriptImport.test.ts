// HyperDbg command files (.ds/.hds, run by `.script`) read into log actions: one per event command
// with a script block, braces in strings and comments ignored, problems named by line.
import { describe, expect, it } from 'vitest';
import { readScriptFile } from '../../../electron/host/library/scriptImport';

/** Shaped like the public HyperDbg/scripts command files (written here, not copied). */
const LOGGER = `## @file logger.hds
# @brief logs a process's system calls and CPUID executions
#
.sympath SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols
.sym reload

# system calls of the process given as the first argument
!syscall pid $arg1 script {
          printf("syscall: %llx, rcx: %llx {not a brace}\\n", @rax, @r10); // } in a comment
          }

!cpuid pid $arg1 buffer 20 script {
  /* a block comment with { and } */
  if (@rax == 0x7) {
    printf("cpuid leaf %x\\n", $context);
  }
}

!msread script { printf("%x\\n", $context); }
!epthook nt!ExAllocatePoolWithTag
? {
  printf("Hello world!");
}
`;

describe('readScriptFile', () => {
  it('takes each event command with a script block, with its line, binding and buffer', () => {
    const r = readScriptFile(LOGGER, 'logger.hds');
    expect(r.scripts.map((s) => [s.eventKind, s.line, s.command, s.bufferSize])).toEqual([
      ['!syscall', 8, '!syscall pid $arg1', 0],
      ['!cpuid', 12, '!cpuid pid $arg1 buffer 20', 0x20],
      ['!msrread', 19, '!msread', 0],
    ]);
    expect(r.scripts[0]?.script).toBe(
      'printf("syscall: %llx, rcx: %llx {not a brace}\\n", @rax, @r10); // } in a comment',
    );
    expect(r.scripts[1]?.script).toContain('if (@rax == 0x7) {');
    expect(r.scripts[1]?.script.trim().endsWith('}')).toBe(true);
  });

  it('says which top-level commands it did not take, and why', () => {
    const r = readScriptFile(LOGGER, 'logger.hds');
    expect(r.skipped.map((s) => [s.line, s.reason])).toEqual([
      [4, 'not an event command'],
      [5, 'not an event command'],
      [20, 'an event command without a script { } block'],
      [21, 'not an event command'],
    ]);
  });

  it('reads a file with no command at all as one script body, without # lines', () => {
    const r = readScriptFile('# my script\nprintf("%x\\n", $pid);\n', 'body.ds');
    expect(r.scripts).toEqual([
      { eventKind: null, script: 'printf("%x\\n", $pid);', line: 1, command: '', bufferSize: 0 },
    ]);
  });

  it.each([
    ['!syscall script {\n printf("x");\n', /line 1: '\{' is never closed/],
    ['!syscall script { }\n}\n', /line 2: '\}' without '\{'/],
    ['!syscall script {\n /* never closed\n}\n', /'\/\*' is never closed/],
    ['.sympath x\n!epthook nt!Foo\n', /no event command with a script/],
    ['!syscall buffer 3e8 script { printf("x"); }', /line 1: 'buffer 3e8'/],
    ['', /is empty/],
    [`!syscall script { ${'x'.repeat(70_000)} }`, /at most 65536/],
  ])('refuses %j', (text, message) => {
    expect(() => readScriptFile(text, 'f.ds')).toThrow(message);
  });
});

/**
 * A bound far above the time linear reading takes (tens of milliseconds) and far below what the
 * quadratic reading took (300 KB: seconds; 800 KB: minutes): it catches the shape, not speed.
 */
const LINEAR_BOUND_MS = 3_000;

function timed<T>(fn: () => T): { ms: number; result: T | Error } {
  const t = performance.now();
  let result: T | Error;
  try {
    result = fn();
  } catch (e) {
    result = e as Error;
  }
  return { ms: performance.now() - t, result };
}

describe('readScriptFile on large files', () => {
  it('reads a 300 KB single-line script quickly and refuses it for its length', () => {
    const text = 'printf("%d\\n", @rax); '.repeat(300_000 / 22);
    const { ms, result } = timed(() => readScriptFile(text, 'one-line.ds'));
    expect(ms).toBeLessThan(LINEAR_BOUND_MS);
    expect(String(result)).toMatch(
      /one-line\.ds, line 1: the script is \d+ characters; at most 65536/,
    );
  });

  it('reads a 300 KB single-line event command quickly', () => {
    const text = `!syscall script { ${'x = x + 1; '.repeat(300_000 / 11)}}`;
    const { ms } = timed(() => readScriptFile(text, 'one-command.ds'));
    expect(ms).toBeLessThan(LINEAR_BOUND_MS);
  });

  it('reads an 800 KB file of event commands quickly', () => {
    const command = (i: number) =>
      `!syscall pid ${i.toString(16)} script {\n  // call ${i}\n  printf("%llx %s\\n", @rax, "a { b");\n}\n`;
    let text = '';
    for (let i = 0; text.length < 800_000; i++) text += command(i);
    const { ms, result } = timed(() => readScriptFile(text, 'many.ds'));
    expect(ms).toBeLessThan(LINEAR_BOUND_MS);
    expect(String(result)).toMatch(/many\.ds: \d+ event commands with a script; at most 5000/);
  });

  it('reads an 800 KB script in one block quickly, with strings and comments', () => {
    const body = 'if (@rax == 1) { printf("{}\\n"); } /* } */ // }\n'.repeat(800_000 / 48);
    const { ms } = timed(() => readScriptFile(`!syscall script {\n${body}}\n`, 'block.ds'));
    expect(ms).toBeLessThan(LINEAR_BOUND_MS);
  });
});
