// The command builder: accepted bindings give exactly the lines HyperDbg's grammar calls for
// (spec §3, the seed document, buffer-records.md); hostile field values are refused with an
// error naming the field; and whatever it accepts is one safe line.
import { describe, expect, it } from 'vitest';
import { cliWaitsForMore, eventsListingText } from '../../../shared/hyperdbg/cliLine';
import {
  buildEventCommand,
  DEBUGGER_MODE_MAX_ACTION_BYTES,
  MAX_COMMAND_LINE_CHARS,
  type BuildResult,
  type TargetMode,
} from '../../../shared/hyperdbg/commandBuilder';
import { flattenScript } from '../../../shared/hyperdbg/scriptFlattener';
import { EVENT_KINDS } from '../../../shared/model/eventKinds';
import { tokenize } from '../../../electron/sim/protocol/tokenizer';
import { rng } from './parserHelpers';

function line(binding: unknown, mode: TargetMode = 'vmi'): string {
  const r = buildEventCommand(binding, mode);
  if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.error)}`);
  return r.value.line;
}

function fields(binding: unknown, mode: TargetMode = 'vmi'): string[] {
  const r = buildEventCommand(binding, mode);
  return r.ok ? [] : r.error.map((e) => e.field);
}

/** What every accepted line must be (spec §1.3, §3.2): one safe line the CLI reads at once. */
function expectSafe(r: BuildResult): void {
  if (!r.ok) return;
  expect(r.value.line).toMatch(/^[\x20-\x7e]+$/);
  expect(r.value.line).not.toMatch(/\/\/|\/\*/);
  expect(r.value.line.length).toBeLessThanOrEqual(MAX_COMMAND_LINE_CHARS);
  expect(cliWaitsForMore(r.value.line)).toBe(false);
  let depth = 0;
  for (const c of r.value.line) {
    if (c === '{') depth++;
    if (c === '}') depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
  expect(r.value.line.split('"').length % 2).toBe(1);
}

const SCRIPT = 'print($context);';

/**
 * The line as hyperdbg-cli's tokenizer splits it (the simulator's model of CommandParser, spec
 * §1.3) holds exactly the blocks the binding asked for: one `{...}` per block field, each after
 * its keyword, and the script block's text is the flattened script, byte for byte.
 */
function expectIntendedBlocks(binding: Record<string, unknown>, r: BuildResult): void {
  if (!r.ok) return;
  const tokens = tokenize(r.value.line);
  const brackets = tokens.filter((t) => t.type === 'bracket');
  const blockFields = (['output', 'condition', 'code', 'script'] as const).filter(
    (f) => binding[f] !== undefined,
  );
  expect(brackets.length, r.value.line).toBe(blockFields.length);
  for (const f of blockFields) {
    const at = tokens.findIndex((t) => t.type !== 'bracket' && t.lower === f);
    expect(at, `${f} keyword in ${r.value.line}`).toBeGreaterThanOrEqual(0);
    expect(tokens[at + 1]?.type, `${f} block in ${r.value.line}`).toBe('bracket');
  }
  if (typeof binding.script === 'string') {
    const flat = flattenScript(binding.script);
    const at = tokens.findIndex((t) => t.type !== 'bracket' && t.lower === 'script');
    expect(flat.ok).toBe(true);
    if (flat.ok) expect(tokens[at + 1]?.text, r.value.line).toBe(flat.value.script);
    // Nothing after the script block: it is the last thing on the line.
    expect(at + 2, r.value.line).toBe(tokens.length);
  }
}

describe('command builder: accepted bindings give the exact line', () => {
  it('builds the issue example: keywords first, then the code block', () => {
    expect(
      line({ kind: '!syscall', args: ['55'], pid: '4', buffer: '18', code: '65488B042588010000' }),
    ).toBe('!syscall 55 pid 4 buffer 18 code {65488B042588010000}');
  });

  it("builds the seed document's !epthook2 line byte for byte", () => {
    // the seed (buffer-records.md §6): "!epthook2 fffff800`4ed6f010 code {488B...C3}"
    expect(
      line({
        kind: '!epthook2',
        args: ['fffff800`4ed6f010'],
        code: '488B5A404881FB484442477402EB0848C7424048444232C3',
      }),
    ).toBe('!epthook2 fffff800`4ed6f010 code {488B5A404881FB484442477402EB0848C7424048444232C3}');
  });

  it("builds buffer-records.md §2's stock log action (no custom code at all)", () => {
    const script =
      'printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));';
    expect(line({ kind: '!syscall', script })).toBe(`!syscall script {${script}}`);
    const seven =
      'printf("HDBG1 %x %x %llx %x %llx %llx %llx\\n", $event_id, $core, $context, 18, dq(p), dq(p+8), dq(p+10));';
    expect(line({ kind: '!syscall', args: ['55'], buffer: '18', script: seven })).toBe(
      `!syscall 55 buffer 18 script {${seven}}`,
    );
  });

  it('flattens a multi-line script and drops its comments (spec §1.3)', () => {
    const script = [
      '// report the syscall',
      'printf("pid %x\\n", $pid); /* who */',
      'if ($context == 55) {',
      '\tprintf("hit\\n");   // the one we want',
      '}',
      '',
    ].join('\r\n');
    expect(line({ kind: '!syscall', args: ['55'], script })).toBe(
      '!syscall 55 script {printf("pid %x\\n", $pid); if ($context == 55) { printf("hit\\n"); }}',
    );
  });

  it("builds !monitor from its help text's examples (spec §3.8 syntax)", () => {
    expect(
      line({
        kind: '!monitor',
        args: ['rw', 'fffff801deadb000', 'l', '1000'],
        script: 'printf("read/write occurred at the virtual address: %llx\\n", $context);',
      }),
    ).toBe(
      '!monitor rw fffff801deadb000 l 1000 script {printf("read/write occurred at the virtual address: %llx\\n", $context);}',
    );
    expect(
      line(
        {
          kind: '!monitor',
          args: ['wx', 'fffff801deadb000', 'fffff801deadbfff'],
          core: '2',
          pid: '400',
        },
        'debugger',
      ),
    ).toBe('!monitor wx fffff801deadb000 fffff801deadbfff pid 400 core 2');
    expect(
      line({ kind: '!monitor', args: ['pa', 'x', '0x1000', 'L', '0x10'], script: SCRIPT }),
    ).toBe('!monitor pa x 0x1000 l 10 script {print($context);}');
  });

  it('carries every filter, in the order keywords-then-blocks', () => {
    expect(
      line({
        kind: '!cpuid',
        args: ['0x1'],
        pid: 'all',
        core: '0x2',
        stage: 'post',
        sc: 'off',
        imm: 'yes',
        buffer: '0x3E7',
        output: ['pipe1', 'log_2'],
        condition: '4831C0',
        code: '90',
        script: SCRIPT,
      }),
    ).toBe(
      '!cpuid 1 pid all core 2 stage post sc off imm yes buffer 3e7 output {pipe1,log_2} condition {4831C0} code {90} script {print($context);}',
    );
  });

  it('normalises hex numbers (lower case, no prefix, no leading zeros) and keyword case', () => {
    expect(line({ kind: '!msrread', args: ['0xC0000082'], pid: '0004', script: SCRIPT })).toBe(
      '!msrread c0000082 pid 4 script {print($context);}',
    );
    expect(line({ kind: '!trace', args: ['Step-Out'] }, 'debugger')).toBe('!trace step-out');
  });

  it('builds each kind with its arguments (spec §3.8)', () => {
    const cases: [unknown, TargetMode, string][] = [
      [
        { kind: '!syscall2', args: ['33'], script: SCRIPT },
        'vmi',
        '!syscall2 33 script {print($context);}',
      ],
      [{ kind: '!sysret', script: SCRIPT }, 'vmi', '!sysret script {print($context);}'],
      [{ kind: '!sysret2' }, 'debugger', '!sysret2'],
      [
        { kind: '!epthook', args: ['nt!NtCreateFile+0x10'], script: SCRIPT },
        'vmi',
        '!epthook nt!NtCreateFile+0x10 script {print($context);}',
      ],
      [
        { kind: '!epthook', args: ['nt!NtCreateFile'], stage: 'pre' },
        'debugger',
        '!epthook nt!NtCreateFile stage pre',
      ],
      [{ kind: '!msrwrite', script: SCRIPT }, 'vmi', '!msrwrite script {print($context);}'],
      [
        { kind: '!exception', args: ['e'], script: SCRIPT },
        'vmi',
        '!exception e script {print($context);}',
      ],
      [
        { kind: '!interrupt', args: ['2f'], script: SCRIPT },
        'vmi',
        '!interrupt 2f script {print($context);}',
      ],
      [
        { kind: '!ioin', args: ['60'], script: SCRIPT },
        'vmi',
        '!ioin 60 script {print($context);}',
      ],
      [
        { kind: '!ioout', args: ['0x3f8'], script: SCRIPT },
        'vmi',
        '!ioout 3f8 script {print($context);}',
      ],
      [{ kind: '!tsc', script: SCRIPT }, 'vmi', '!tsc script {print($context);}'],
      [{ kind: '!pmc', script: SCRIPT }, 'vmi', '!pmc script {print($context);}'],
      [{ kind: '!dr', script: SCRIPT }, 'vmi', '!dr script {print($context);}'],
      [{ kind: '!vmcall', script: SCRIPT }, 'vmi', '!vmcall script {print($context);}'],
      [
        { kind: '!crwrite', args: ['4', 'ffff'], script: SCRIPT },
        'vmi',
        '!crwrite 4 ffff script {print($context);}',
      ],
      [
        { kind: '!xsetbv', args: ['0'], script: SCRIPT },
        'vmi',
        '!xsetbv 0 script {print($context);}',
      ],
      [{ kind: '!mode', args: ['ku'], pid: '1a4' }, 'debugger', '!mode ku pid 1a4'],
      [{ kind: '!trace', args: ['instrument-step'] }, 'debugger', '!trace instrument-step'],
    ];
    for (const [binding, mode, expected] of cases) expect(line(binding, mode)).toBe(expected);
  });

  it('warns about accepted but risky choices', () => {
    const r = buildEventCommand(
      { kind: '!syscall', imm: 'no', buffer: '8', script: SCRIPT },
      'debugger',
    );
    expect(r.ok && r.value.warnings.join('\n')).toMatch(/§6\.3/);
    // Debugger Mode's buffer is no warning: Apply reserves it with prealloc (sessionEvents.ts).
    expect(r.ok && r.value.warnings.join('\n')).not.toMatch(/prealloc/);
  });
});

describe('command builder: the events listing still shows the keywords (spec §4)', () => {
  it('puts every keyword inside the 70 characters even with long blocks', () => {
    const l = line({
      kind: '!syscall',
      args: ['55'],
      pid: '4',
      core: '1',
      buffer: '40',
      code: '90'.repeat(200),
      script: 'printf("%llx\\n", $context);',
    });
    const listed = eventsListingText(l);
    expect(listed.endsWith('...')).toBe(true);
    expect(listed.startsWith('!syscall 55 pid 4 core 1 buffer 40 code 9090')).toBe(true);
  });
});

describe('command builder: one event, one action of each kind (spec §3.1)', () => {
  it('says so when asked for two code actions, two scripts or an action list', () => {
    for (const [binding, field] of [
      [{ kind: '!syscall', code: ['90', 'cc'] }, 'code'],
      [{ kind: '!syscall', script: ['print(1);', 'print(2);'] }, 'script'],
      [{ kind: '!syscall', condition: ['90', '90'], script: SCRIPT }, 'condition'],
      [{ kind: '!syscall', actions: [{ code: '90' }, { script: SCRIPT }] }, 'actions'],
    ] as const) {
      const r = buildEventCommand(binding, 'vmi');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error[0].field).toBe(field);
        expect(r.error[0].message).toMatch(
          /one event carries at most one .*register another event/,
        );
      }
    }
  });
});

describe('command builder: field rules', () => {
  it('needs an action in VMI mode, where breaking is impossible (spec §3.7)', () => {
    expect(fields({ kind: '!syscall' })).toEqual(['script']);
    expect(fields({ kind: '!syscall', condition: '4831C0' })).toEqual(['script']);
    expect(line({ kind: '!syscall' }, 'debugger')).toBe('!syscall');
  });

  it('enforces stages, short-circuiting and imm rules (spec §3.7, §3.8)', () => {
    expect(fields({ kind: '!epthook', args: ['nt!Foo'], stage: 'post', script: SCRIPT })).toEqual([
      'stage',
    ]);
    expect(fields({ kind: '!epthook2', args: ['nt!Foo'], stage: 'all', script: SCRIPT })).toEqual([
      'stage',
    ]);
    expect(fields({ kind: '!mode', args: ['u'], pid: '4', stage: 'post' }, 'debugger')).toEqual([
      'stage',
    ]);
    expect(fields({ kind: '!syscall', stage: 'all', sc: 'on', script: SCRIPT })).toEqual(['sc']);
    expect(line({ kind: '!syscall', sc: 'on', script: SCRIPT })).toBe(
      '!syscall sc on script {print($context);}',
    );
    expect(fields({ kind: '!syscall', imm: 'no', output: ['a'], script: SCRIPT })).toEqual(['imm']);
  });

  it('needs a real pid for !mode (spec §3.8)', () => {
    expect(fields({ kind: '!mode', args: ['u'] }, 'debugger')).toEqual(['pid']);
    expect(fields({ kind: '!mode', args: ['u'], pid: 'all' }, 'debugger')).toEqual(['pid']);
  });

  it('checks arguments against the catalog', () => {
    expect(fields({ kind: '!syscall', args: ['55', '56'], script: SCRIPT })).toEqual(['args[1]']);
    const sysret = buildEventCommand({ kind: '!sysret', args: ['1'], script: SCRIPT }, 'vmi');
    expect(!sysret.ok && sysret.error[0]).toMatchObject({
      field: 'args[0]',
      message: expect.stringMatching(/ignore it silently/),
    });
    expect(fields({ kind: '!exception', args: ['1f'], script: SCRIPT })).toEqual(['args[0]']); // §9.14
    expect(fields({ kind: '!interrupt', args: ['1f'], script: SCRIPT })).toEqual(['args[0]']);
    expect(fields({ kind: '!interrupt', script: SCRIPT })).toEqual(['args[0]']);
    expect(fields({ kind: '!epthook', script: SCRIPT })).toEqual(['args[0]']);
    expect(fields({ kind: '!epthook', args: ['NtCreateFile'], script: SCRIPT })).toEqual([
      'args[0]',
    ]);
    expect(fields({ kind: '!monitor', args: ['rw', '2000', '1000'], script: SCRIPT })).toEqual([
      'args[2]',
    ]);
    expect(fields({ kind: '!monitor', args: ['rw', '2000', 'l'], script: SCRIPT })).toEqual([
      'args[3]',
    ]);
    expect(fields({ kind: '!monitor', args: ['rw', '2000', 'l', '0'], script: SCRIPT })).toEqual([
      'args[3]',
    ]);
    expect(fields({ kind: '!monitor', args: ['2000', '3000'], script: SCRIPT })).toEqual([
      'args[0]',
      'args[2]',
    ]);
    expect(fields({ kind: '!trace', args: ['sideways'] }, 'debugger')).toEqual(['args[0]']);
    expect(fields({ kind: '!crwrite', args: ['3'], script: SCRIPT })).toEqual(['args[0]']);
    expect(fields({ kind: '!tsc', args: ['0'], script: SCRIPT })).toEqual(['args[0]']);
    expect(fields({ kind: '!ioin', args: ['10000'], script: SCRIPT })).toEqual(['args[0]']);
  });

  it('applies the Debugger Mode size limits, and not in VMI mode (spec §3.2)', () => {
    const cond99 = 'cc'.repeat(99); // + c3 = 100 bytes
    expect(line({ kind: '!syscall', condition: cond99 }, 'debugger')).toBe(
      `!syscall condition {${cond99}}`,
    );
    expect(fields({ kind: '!syscall', condition: `${cond99}cc` }, 'debugger')).toEqual([
      'condition',
    ]);
    expect(line({ kind: '!syscall', condition: `${cond99}cc`, code: '90' }, 'vmi')).toContain(
      'condition {',
    );
    const code = 'cc'.repeat(DEBUGGER_MODE_MAX_ACTION_BYTES - 1); // + c3 = 8192 bytes
    expect(line({ kind: '!syscall', code }, 'debugger')).toBe(`!syscall code {${code}}`);
    expect(fields({ kind: '!syscall', code, script: 'print(1);' }, 'debugger')).toEqual(['code']);
    expect(fields({ kind: '!syscall', script: `${'print(1);'.repeat(911)}` }, 'debugger')).toEqual([
      'script',
    ]);
    expect(buildEventCommand({ kind: '!syscall', code, script: 'print(1);' }, 'vmi').ok).toBe(true);
  });

  it('names unknown fields, a bad kind and a non-object', () => {
    expect(fields({ kind: '!syscall', script: SCRIPT, tag: '5' })).toEqual(['tag']);
    expect(fields({ kind: 'syscall', script: SCRIPT })).toEqual(['kind']);
    expect(fields({ kind: '!SYSCALL', script: SCRIPT })).toEqual(['kind']);
    expect(fields({ script: SCRIPT })).toEqual(['kind']);
    expect(fields({ kind: '!syscall', pid: 4, script: SCRIPT })).toEqual(['pid']);
    expect(fields({ kind: '!syscall', args: '55', script: SCRIPT })).toEqual(['args']);
    expect(fields({ kind: '!syscall', args: [55], script: SCRIPT })).toEqual(['args[0]']);
    for (const x of [null, 5, 'x', [], true]) expect(fields(x)).toEqual(['binding']);
  });
});

/** Values that must never reach a command line, each for the fields where they are hostile. */
const HOSTILE_TOKENS: readonly string[] = [
  '1\n2',
  '1\r2',
  '12\r\n',
  '1\n',
  '{1}',
  '1}',
  '{',
  '"1"',
  '1"',
  "1'",
  '1 // x',
  '1//x',
  '1/*x*/',
  '90 90',
  ' 90',
  '90 ',
  '\t90',
  '9\u00000',
  '\x1b[31m90',
  '\uff46\uff46', // fullwidth ff
  '\uff19\uff10', // fullwidth 90
  '\uff5b90\uff5d', // fullwidth braces
  '9\u04300', // Cyrillic a
  '\u200b90', // zero-width space
  '\ufeff90', // BOM
  '90\u2028',
  '9'.repeat(100_000),
  '',
];

const FIELD_CASES: readonly {
  field: string;
  base: Record<string, unknown>;
  put: (v: string) => Record<string, unknown>;
}[] = [
  { field: 'args[0]', base: { kind: '!syscall', script: SCRIPT }, put: (v) => ({ args: [v] }) },
  { field: 'args[0]', base: { kind: '!epthook', script: SCRIPT }, put: (v) => ({ args: [v] }) },
  { field: 'pid', base: { kind: '!syscall', script: SCRIPT }, put: (v) => ({ pid: v }) },
  { field: 'core', base: { kind: '!syscall', script: SCRIPT }, put: (v) => ({ core: v }) },
  { field: 'buffer', base: { kind: '!syscall', script: SCRIPT }, put: (v) => ({ buffer: v }) },
  {
    field: 'condition',
    base: { kind: '!syscall', script: SCRIPT },
    put: (v) => ({ condition: v }),
  },
  { field: 'code', base: { kind: '!syscall', script: SCRIPT }, put: (v) => ({ code: v }) },
  { field: 'output[0]', base: { kind: '!syscall', script: SCRIPT }, put: (v) => ({ output: [v] }) },
];

const HOSTILE_SCRIPTS: readonly [string, RegExp][] = [
  ['print(1);\n}', /'}' has no matching '{'/],
  ['if (1) { print(1);', /never closed/],
  ['printf("unclosed);', /string is never closed/],
  ['printf("a\nb");', /not closed before the end of its line/],
  ['printf("a\r\nb");', /not closed before the end of its line/],
  ['printf("http://example\\n");', /'\/\/'/],
  ['printf("/*x*/\\n");', /'\/\*'/],
  ['printf("{\\n");', /braces inside strings/],
  ['printf("}");', /braces inside strings/],
  ['print(1); \uff5d', /U\+FF5D/],
  ['print(1)\uff1b', /U\+FF1B/],
  ['print(\u0441);', /U\+0441/],
  ['print(1);\u0000', /NUL/],
  ['printf("\t");', /TAB/],
  ['printf("a\\\\");', /ends in a backslash/],
  ["print('a');", /'/],
  ['\x1b]0;x\x07print(1);', /ESC/],
  ['printf("%02x\\n", 1);', /width, precision or flag/],
  ['printf("%016llx\\n", 1);', /width, precision or flag/],
  ['printf("%-5d\\n", 1);', /width, precision or flag/],
  ['printf("%.2f\\n", 1);', /width, precision or flag/],
  ['printf("%X\\n", 1);', /no %X/],
  ['printf("%llX\\n", 1);', /no %X/],
  ['printf("100%%\\n");', /'%%' is not an escape/],
  ['printf("%q\\n", 1);', /not a conversion/],
  ['printf("%x %x\\n", 1);', /2 conversions but 1 argument/],
  ['printf("%x\\n", 1, 2);', /1 conversion but 2 arguments/],
  ['printf("x\\n", f(1, 2));', /0 conversions but 1 argument/],
  ['printf(fmt, 1);', /string literal/],
  ['printf("%x\\n", 1', /'\)' is missing/],
  ['', /empty/],
  ['   \n\t ', /empty/],
  ['// only a comment', /empty/],
  ['print(1); /* unclosed', /never closed/],
  ['print(1);'.repeat(10_000), /limit is 60000/],
];

/**
 * Scripts that use the CLI's own escapes outside strings (spec §1.3: `\{`, `\}` are literal
 * braces to its tokenizer, a backslash before the closing brace escapes it, a typed `\n` where no
 * token started is dropped) to change the command's structure: an unclosed block, an extra
 * `code {...}`, `condition {...}` or second `script {...}` on the line.
 */
const ESCAPING_SCRIPTS: readonly string[] = [
  'print(1); \\',
  'print(1);\\',
  '\\{} code {90} script {\\}',
  '\\{} condition {90} script {\\}',
  '\\{} script {print(1);} script {\\}',
  'x = 1; \\{ } code {c3} script { \\}',
  'if (1) { print(1); \\}',
  'if (1) { print(1); } \\',
  '\\}',
  '\\{',
  '\\n print(1);',
  '\\nprint(1);',
  'print(1); \\" }',
  '\\"{ print(1); }',
  'print(1); \\\\',
  'printf("a"); \\{',
  'a = "x"\\}',
];

describe('command builder: hostile field values are refused, naming the field', () => {
  for (const c of FIELD_CASES) {
    it(`refuses every hostile value in ${c.field} (${String(c.base.kind)})`, () => {
      for (const v of HOSTILE_TOKENS) {
        const r = buildEventCommand({ ...c.base, ...c.put(v) }, 'vmi');
        if (r.ok) throw new Error(`accepted ${JSON.stringify(v)} in ${c.field}: ${r.value.line}`);
        expect(r.error.map((e) => e.field)).toContain(c.field);
        expect(r.error.find((e) => e.field === c.field)?.message.length).toBeGreaterThan(5);
      }
    });
  }

  it('refuses out-of-range numbers: buffer 0 and 0x3e8 (spec §3.5), 33-bit pids, odd hex', () => {
    expect(fields({ kind: '!syscall', buffer: '0', script: SCRIPT })).toEqual(['buffer']);
    expect(fields({ kind: '!syscall', buffer: '3e8', script: SCRIPT })).toEqual(['buffer']);
    expect(fields({ kind: '!syscall', pid: '100000000', script: SCRIPT })).toEqual(['pid']);
    expect(fields({ kind: '!syscall', core: '-1', script: SCRIPT })).toEqual(['core']);
    expect(fields({ kind: '!syscall', code: '909', script: SCRIPT })).toEqual(['code']);
    expect(fields({ kind: '!syscall', code: '0x9090' })).toEqual(['code']);
    expect(fields({ kind: '!syscall', code: '\\x90\\x90' })).toEqual(['code']);
    expect(fields({ kind: '!syscall', output: [], script: SCRIPT })).toEqual(['output']);
    expect(
      fields({ kind: '!syscall', output: ['a', 'b', 'c', 'd', 'e', 'f'], script: SCRIPT }),
    ).toEqual(['output']);
    expect(fields({ kind: '!syscall', output: ['a', 'a'], script: SCRIPT })).toEqual(['output[1]']);
    // `output create` refuses names of 50 characters or more (spec §6.4): none can exist.
    expect(fields({ kind: '!syscall', output: ['x'.repeat(50)], script: SCRIPT })).toEqual([
      'output[0]',
    ]);
    expect(fields({ kind: '!syscall', output: ['x'.repeat(49)], script: SCRIPT })).toEqual([]);
  });

  it('refuses hostile scripts with a message saying where and why', () => {
    for (const [script, why] of HOSTILE_SCRIPTS) {
      const r = buildEventCommand({ kind: '!syscall', script }, 'vmi');
      if (r.ok) throw new Error(`accepted script ${JSON.stringify(script)}: ${r.value.line}`);
      expect(r.error[0].field).toBe('script');
      expect(r.error[0].message).toMatch(why);
    }
  });

  it("refuses scripts that use the CLI's escapes to change the line's structure", () => {
    for (const script of ESCAPING_SCRIPTS) {
      const binding = { kind: '!syscall', script };
      const r = buildEventCommand(binding, 'vmi');
      if (r.ok) {
        expectIntendedBlocks(binding, r);
        throw new Error(`accepted script ${JSON.stringify(script)}: ${r.value.line}`);
      }
      expect(r.error[0].field).toBe('script');
      expect(r.error[0].message).toMatch(/backslash/);
    }
  });

  it("accepts only scripts the CLI's tokenizer reads back as the one intended block (random)", () => {
    const rand = rng(1003);
    const alphabet = ['\\', '{', '}', '"', ' ', 'a', 'n', '(', ')', ';', '/', '*', '1', 'x'];
    const words = ['code', 'condition', 'script', 'print(1);', 'if (1) ', '\\n'];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      let script = '';
      const len = 1 + Math.floor(rand() * 24);
      for (let k = 0; k < len; k++)
        script +=
          rand() < 0.15
            ? (words[Math.floor(rand() * words.length)] as string)
            : (alphabet[Math.floor(rand() * alphabet.length)] as string);
      const binding = { kind: '!syscall', ...(rand() < 0.3 ? { code: '90' } : {}), script };
      const r = buildEventCommand(binding, 'vmi');
      expectIntendedBlocks(binding, r);
      if (r.ok) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('keeps the structure when another block comes first: the script cannot smuggle one', () => {
    for (const script of ESCAPING_SCRIPTS) {
      for (const extra of [{ code: '90' }, { condition: '90' }, { output: ['sink'] }]) {
        const binding = { kind: '!syscall', ...extra, script };
        const r = buildEventCommand(binding, 'vmi');
        expectIntendedBlocks(binding, r);
        expect(r.ok).toBe(false);
      }
    }
  });

  it('reports every bad field at once', () => {
    expect(fields({ kind: '!syscall', pid: 'x', core: 'y', buffer: 'z', code: 'q' })).toEqual([
      'pid',
      'core',
      'buffer',
      'code',
    ]);
  });

  it('only ever emits safe lines, whatever it is fed (random fields)', () => {
    const rand = rng(11);
    const alphabet = [
      'a',
      'f',
      '0',
      '9',
      ' ',
      '\n',
      '\r',
      '\t',
      '{',
      '}',
      '"',
      "'",
      '/',
      '*',
      '\\',
      '%',
      '(',
      ')',
      ';',
      ',',
      '!',
      '`',
      '+',
      'x',
      '$',
      'l',
      '\u0000',
      '\uff5b',
      'а',
      'é',
    ];
    const pick = (n: number): string => {
      let s = '';
      const len = Math.floor(rand() * n);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)] as string;
      return s;
    };
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const binding: Record<string, unknown> = {
        kind: EVENT_KINDS[Math.floor(rand() * EVENT_KINDS.length)],
      };
      if (rand() < 0.5) binding.args = [pick(6), pick(6)].slice(0, Math.floor(rand() * 3));
      if (rand() < 0.3) binding.pid = pick(4);
      if (rand() < 0.3) binding.buffer = pick(4);
      if (rand() < 0.4) binding.code = pick(8);
      if (rand() < 0.3) binding.condition = pick(8);
      if (rand() < 0.7) binding.script = rand() < 0.5 ? `print(${pick(10)});` : pick(30);
      if (rand() < 0.2) binding.output = [pick(5)];
      const r = buildEventCommand(binding, rand() < 0.5 ? 'vmi' : 'debugger');
      expectSafe(r);
      expectIntendedBlocks(binding, r);
      if (r.ok) accepted++;
    }
    expect(accepted).toBeGreaterThan(50);
  });
});
