// The v0.23 script language beyond single statements, with expectations taken from its sources:
// Grammar.txt (what parses), script-engine.c (CodeGen's checks and HandleError's messages),
// Constants.h / globals.h (MAX_VAR_COUNT, MAX_STACK_BUFFER_COUNT, MAX_EXECUTION_COUNT,
// MAX_TEMP_COUNT), Functions.c (ScriptEngineFunctionPrintf's 4096-byte FinalBuffer) and
// Debugger.c (globals shared system-wide, each core's stack buffer zeroed before every run).
import { describe, expect, it } from 'vitest';
import { arrayStore, GuestMemory } from '../../../electron/sim/emulator/guestMemory';
import {
  runScript,
  ScriptExecutionLimit,
  ScriptRuntimeError,
  ScriptStackOverflow,
} from '../../../electron/sim/script/evaluator';
import { compileScript, ScriptSyntaxError } from '../../../electron/sim/script/parser';
import { GlobalNames, ScriptPools } from '../../../electron/sim/script/pools';
import { buildPrintf } from '../../../electron/sim/script/printf';

const EPROCESS_NAME = 0x1100n;
const WIDE = 0x1200n;
const CORES = 4;

/** One CLI's GlobalIdTable plus one kernel's pools and guest memory, as the simulator keeps them. */
class Engine {
  readonly names = new GlobalNames();
  readonly memory = new GuestMemory();
  readonly pools = new ScriptPools(
    0xffffc58a41a00000n,
    Array.from({ length: CORES }, (_, i) => 0xffffc58a41a01000n + BigInt(i * 0x800)),
  );
  pid = 0x1a4n;

  constructor() {
    this.memory.add({
      name: 'data',
      base: 0x1000n,
      size: 0x2000,
      end: 0x3000n,
      protection: 'rw',
      store: arrayStore(0x2000),
    });
    this.setName('notepad.exe');
  }

  setName(name: string): void {
    this.memory.write(EPROCESS_NAME, new Uint8Array(16));
    this.memory.write(EPROCESS_NAME, Uint8Array.from([...name].map((c) => c.charCodeAt(0))));
  }

  compile(source: string) {
    return compileScript(source, () => null, this.names);
  }

  /** Runs `source` (or a compiled script) on `core`; returns what it printed. */
  run(source: string | ReturnType<typeof compileScript>, core = 0): string[] {
    const script = typeof source === 'string' ? this.compile(source) : source;
    const lines: string[] = [];
    runScript(script, {
      memory: this.memory,
      regs: new BigUint64Array(16),
      special: () => 0n,
      pseudo: (n) =>
        n === 'core' ? BigInt(core) : n === 'pname' ? EPROCESS_NAME : n === 'pid' ? this.pid : 0n,
      pools: this.pools,
      core,
      emit: (t) => lines.push(t),
    });
    return lines;
  }
}

/** HandleError's report: "Line N:", the line, a caret under the failing token, the message. */
function syntaxError(source: string, engine = new Engine()): { caret: number; message: string } {
  try {
    engine.compile(source);
  } catch (e) {
    if (!(e instanceof ScriptSyntaxError)) throw e;
    const lines = e.report.split('\n');
    expect(lines[0]).toMatch(/^Line \d+:$/);
    return { caret: (lines[2] as string).indexOf('^'), message: lines[3] as string };
  }
  throw new Error(`compiled: ${source}`);
}

const INVALID = 'Syntax Error: Invalid Syntax';
const UNRESOLVED = 'Syntax Error: Unresolved Variable';

describe('globals (.name): one table per CLI, one value per system (Debugger.c, script-engine.c @MOV)', () => {
  it('a global read before any script assigned it is unresolved, even on the right of its own first assignment', () => {
    const e = new Engine();
    expect(syntaxError('.seq = .seq + 1;', e).message).toBe(UNRESOLVED);
    expect(syntaxError('if (.never == 1) { }', e).message).toBe(UNRESOLVED);
    // An assignment that never runs still registers the name (NewGlobalIdentifier at compile time).
    e.run('if (0) { .seq = 0; }');
    expect(e.run('.seq = .seq + 1; printf("%d\\n", .seq);')).toEqual(['1\n']);
  });

  it('keeps values across runs, and shares them between scripts (events) and cores', () => {
    const e = new Engine();
    const a = e.compile('if (0) { .tot = 0; } .tot = .tot + 1;');
    const b = e.compile('.tot += 0x10; printf("%x\\n", .tot);');
    e.run(a, 0);
    e.run(a, 3);
    expect(e.run(b, 1)).toEqual(['12\n']);
    e.run(a, 2);
    expect(e.run(b, 0)).toEqual(['23\n']);
  });

  it('zeroes the stack buffer before every run, so locals never carry over', () => {
    const e = new Engine();
    e.run('p1 = 0x11; p2 = 0x22;');
    // The slot after q is where p2 lived in the previous run.
    expect(e.run('q = 0; printf("%llx\\n", dq(&q + 1));')).toEqual(['0\n']);
  });

  it('has no global arrays: indexing an untyped global is a syntax error, an unknown one unresolved', () => {
    const e = new Engine();
    e.run('if (0) { .seq = 0; }');
    // CodeGen refuses it once the indexes are parsed, with the token after `]` current.
    expect(syntaxError('.seq[$core] = 1;', e)).toEqual({ caret: 12, message: INVALID });
    expect(syntaxError('.nope[0] = 1;', e).message).toBe(UNRESOLVED);
  });

  it('indexes through a typed pointer: a per-core counter over consecutive globals', () => {
    const e = new Engine();
    const seq = e.compile(
      'if (0) { .s0 = 0; .s1 = 0; .s2 = 0; .s3 = 0; } unsigned long long *.seqp = &.s0; .seqp[$core]++;',
    );
    for (const core of [0, 1, 1, 3, 1]) e.run(seq, core);
    expect(e.run('printf("%d %d %d %d\\n", .s0, .s1, .s2, .s3);')).toEqual(['1 3 0 1\n']);
  });

  it("scales pointer arithmetic on &.name by the global's size, but an untyped local holding an address is a plain number", () => {
    const e = new Engine();
    e.run('if (0) { .r0 = 0; .r1 = 0; .r2 = 0; }');
    e.run('eq(&.r0 + 2, 7); recp = &.r0; eq(recp + 8, 5);');
    expect(e.run('printf("%d %d %d\\n", .r0, .r1, .r2);')).toEqual(['0 5 7\n']);
  });
});

describe('arrays (Grammar.txt VARIABLE_TYPE4, @ARRAY_INDEX_READ/WRITE)', () => {
  it('declares top-level local arrays with an initializer and indexes them with computed values', () => {
    const e = new Engine();
    expect(
      e.run(
        'int arr[4] = {1, 2, 3, 4}; i = 1; arr[i + 2] = arr[i] * 0x10; for (j = 0; j < 4; j++) { printf("%d ", arr[j]); } printf("%d\\n", sizeof(arr));',
      ),
    ).toEqual(['1 ', '2 ', '3 ', '32 ', '16\n']);
    expect(e.run('int m[2][3] = {{1, 2, 3}, {4, 5, 6}}; printf("%d\\n", m[1][2]);')).toEqual([
      '6\n',
    ]);
    expect(e.run('char s[4] = {0x41, 0x42, 0x43, 0}; printf("%s\\n", &s);')).toEqual(['ABC\n']);
  });

  it('reads dimensions in decimal (atoi), where every other number is hex', () => {
    expect(new Engine().run('int arr[10] = {0}; printf("%d\\n", sizeof(arr));')).toEqual(['40\n']);
  });

  it('requires the initializer, takes at most one extra element, and only at the top level', () => {
    expect(syntaxError('int arr[4];').message).toBe(INVALID);
    expect(new Engine().run('int arr[3] = {1, 2, 3, 4}; printf("%d\\n", arr[3]);')).toEqual([
      '4\n',
    ]);
    expect(syntaxError('int arr[3] = {1, 2, 3, 4, 5};').message).toBe(INVALID);
    expect(syntaxError('if (1) { int arr[2] = {0, 0}; }').message).toBe(INVALID);
  });

  it('stops the run when locals exceed MAX_STACK_BUFFER_COUNT (256) slots', () => {
    expect(new Engine().run('long long arr[250] = {0}; printf("ok\\n");')).toEqual(['ok\n']);
    expect(() => new Engine().run('long long arr[300] = {0};')).toThrow(ScriptStackOverflow);
  });
});

describe('loops and conditions (Grammar.txt S2)', () => {
  it('runs while, do-while and for with break and continue', () => {
    const e = new Engine();
    expect(
      e.run('i = 0; while (i < 5) { i++; if (i == 3) { break; } } printf("%d\\n", i);'),
    ).toEqual(['3\n']);
    expect(e.run('i = 0; do { i += 2; } while (i < 7); printf("%d\\n", i);')).toEqual(['8\n']);
    expect(
      e.run(
        'for (j = 0; j < 4; j++) { if (j == 1) { continue; } printf("%d", j); } printf("\\n");',
      ),
    ).toEqual(['0', '2', '3', '\n']);
    expect(
      e.run(
        'x = 2; if (x == 1) { printf("one\\n"); } elsif (x == 2) { printf("two\\n"); } else { }',
      ),
    ).toEqual(['two\n']);
  });

  it('needs braces and a condition in for, and loops around break/continue', () => {
    expect(syntaxError('for (i = 0; i < 2; i++) printf("x");').message).toBe(INVALID);
    expect(syntaxError('for (i = 0; ; i++) { }').message).toBe(INVALID);
    expect(syntaxError('break;').message).toBe(INVALID);
  });

  it('compares only in conditions', () => {
    expect(syntaxError('y = (2 == 1);').message).toBe(INVALID);
  });

  it('reports an unknown token right after a condition as "Unknown Token"', () => {
    expect(syntaxError('x = 1; while (x == 0) # { }')).toEqual({
      caret: 22,
      message: 'Syntax Error: Unknown Token',
    });
  });

  it('gives up after MAX_EXECUTION_COUNT operations', () => {
    expect(() => new Engine().run('i = 0; while (1) { i++; }')).toThrow(ScriptExecutionLimit);
  });

  it('treats untyped variables as unsigned 64-bit and typed ones by their type', () => {
    expect(
      new Engine().run(
        'x = 0 - 1; if (x > 5) { printf("u\\n"); } int z = 0 - 1; if (z > 5) { } else { printf("s\\n"); } int v = 0x7fffffff; v = v + 1; printf("%llx\\n", v);',
      ),
    ).toEqual(['u\n', 's\n', 'ffffffff80000000\n']);
  });
});

describe('user-defined functions (Grammar.txt, script-engine.c @END_OF_USER_DEFINED_FUNCTION)', () => {
  it('calls void and int functions with parameters, and recurses', () => {
    const e = new Engine();
    expect(
      e.run(
        'void show(int x, int y) { printf("%d %d\\n", x, y); return; } int twice(int x) { int y = x * 2; return y; } show(twice(3), 4);',
      ),
    ).toEqual(['6 4\n']);
    expect(
      e.run(
        'int fact(int n) { if (n <= 1) { return 1; } return n * fact(n - 1); } printf("%d\\n", fact(5));',
      ),
    ).toEqual(['120\n']);
  });

  it('refuses a wrong argument count, and the two return mistakes with their own messages', () => {
    expect(syntaxError('void g(int x, int y) { } g(1);').message).toBe(INVALID);
    expect(syntaxError('void fn() { return 1; }').message).toBe(
      'Returning a value in void function',
    );
    expect(syntaxError('int g() { return; }').message).toBe(
      'Not returning a value in noo-void function',
    );
  });

  it('scans names made of hex digits as numbers and register names as registers', () => {
    // `a`, `c`, `b`, `dead` are HEX tokens; `sp` and `ip` are registers.
    expect(syntaxError('int sq(int a) { return a * a; }').message).toBe(INVALID);
    expect(syntaxError('char c = 1;').message).toBe(INVALID);
    expect(syntaxError('unsigned long long *sp = 0;').message).toBe(INVALID);
  });

  it('overflows the stack buffer on unbounded recursion', () => {
    expect(() => new Engine().run('int r(int x) { return r(x + 1); } r(1);')).toThrow(
      ScriptStackOverflow,
    );
  });
});

describe('sizeof, casts and pointers (type.c)', () => {
  it('gives C sizes with long as 8 bytes', () => {
    expect(
      new Engine().run(
        'printf("%d %d %d %d %d %d\\n", sizeof(char), sizeof(short), sizeof(int), sizeof(long), sizeof(long long), sizeof(int *));',
      ),
    ).toEqual(['1 2 4 8 8 8\n']);
  });

  it('refuses sizeof(void) as an incomplete type', () => {
    expect(syntaxError('x = sizeof(void);').message).toBe(
      'Incomplete struct type cannot be used by value',
    );
  });

  it('reads and writes through typed pointers', () => {
    const e = new Engine();
    expect(e.run('int z = 1; int *zp = &z; *zp = 5; printf("%d\\n", z);')).toEqual(['5\n']);
    expect(e.run('char *nm = (char *)$pname; printf("%c%c\\n", nm[0], nm[1]);')).toEqual(['no\n']);
  });

  it('refuses a non-zero number stored to a pointer, and the address of an unknown global, as "Undefined Variable Type"', () => {
    // Every token but a pointer-typed one is `long`, a pseudo-register too: it needs a cast.
    expect(syntaxError('int *q = 5;').message).toBe('Undefined Variable Type');
    expect(syntaxError('char *q = $pname;').message).toBe('Undefined Variable Type');
    expect(syntaxError('if (0) { .s0 = 0; } int q = &.s0;').message).toBe(
      'Undefined Variable Type',
    );
    expect(new Engine().run('int *q = 0; q = 0; printf("ok\\n");')).toEqual(['ok\n']);
    expect(syntaxError('x = dq(&.unknown);').message).toBe('Undefined Variable Type');
  });

  it('answers a call of an unknown name as invalid syntax', () => {
    expect(syntaxError('foo(1);').message).toBe(INVALID);
  });
});

describe('printf (Functions.c ScriptEngineFunctionPrintf, script-engine.c)', () => {
  const mem = (e: Engine) => e.pools.view(e.memory);

  it('needs exactly one argument per conversion, and string literals are not arguments', () => {
    expect(syntaxError('printf("%d\\n", 1, 2);').message).toBe(INVALID);
    expect(syntaxError('printf("%s\\n", "lit");').message).toBe(INVALID);
  });

  it('takes many arguments, until the held temporaries pass MAX_TEMP_COUNT (128)', () => {
    const e = new Engine();
    const n = 130;
    const literal = `printf("${'%x '.repeat(n)}\\n", ${Array.from({ length: n }, (_, i) => i.toString(16)).join(', ')});`;
    expect((e.run(literal)[0] as string).split(' ').length).toBe(n + 1);
    const reads = `printf("${'%x '.repeat(n)}\\n", ${Array.from({ length: n }, (_, i) => `db($pname + ${i % 8})`).join(', ')});`;
    expect(syntaxError(reads).message).toBe(
      'Internal Error: Please split the expression to many smaller expressions.',
    );
  });

  it('fits the message in 4096 bytes with its NUL: at most 4094 characters, else FUNC_PRINTF', () => {
    const e = new Engine();
    const m = mem(e);
    const specs = (f: string) =>
      [...f.matchAll(/%(llx|s|x)/g)].map((x) => ({ at: x.index, text: x[0] }));
    // No conversion: copied when strlen + 1 < 4096.
    expect(buildPrintf('A'.repeat(4094), [], [], m)).toBe('A'.repeat(4094));
    expect(buildPrintf('A'.repeat(4095), [], [], m)).toBeNull();
    // A number must fit whole; the text after the last conversion needs room for its NUL too.
    const f1 = `${'A'.repeat(4090)}%llx`;
    expect(buildPrintf(f1, specs(f1), [0x1234n], m)).toBe(`${'A'.repeat(4090)}1234`);
    expect(buildPrintf(f1, specs(f1), [0x123456789n], m)).toBeNull();
    // A string that does not fit is skipped without an error.
    const f2 = `${'A'.repeat(4090)}%s!`;
    expect(buildPrintf(f2, specs(f2), [EPROCESS_NAME], m)).toBe(`${'A'.repeat(4090)}!`);
    // An unreadable string, or %f of an integer, is an error.
    expect(buildPrintf('%s', specs('%s'), [0n], m)).toBeNull();
    expect(() => e.run('printf("%f\\n", 1);')).toThrow(ScriptRuntimeError);
    expect(() => e.run(`printf("${'A'.repeat(4095)}");`)).toThrow(
      expect.objectContaining({ functionName: 'FUNC_PRINTF' }) as Error,
    );
  });

  it('prints text as written (%% stays %%), %c of 0 ends the message, %ws narrows to ASCII', () => {
    const e = new Engine();
    const units = [...'ab\u00e9c'].map((c) => c.charCodeAt(0));
    e.memory.write(WIDE, new Uint8Array(new Uint16Array([...units, 0]).buffer));
    e.pools.setGlobal(0, 0n);
    expect(e.run(`printf("100%% %ws|%c%d\\n", ${WIDE.toString(16)}, 0, 5);`)).toEqual([
      '100%% ab?c|',
    ]);
  });

  it('drops the last 50 characters of a wide string of a multiple of 50 (v0.23 copies bytes % 100 of the last block)', () => {
    const e = new Engine();
    e.memory.write(WIDE, new Uint8Array(new Uint16Array([...Array(50).fill(0x41), 0]).buffer));
    expect(e.run(`printf("[%ws]\\n", ${WIDE.toString(16)});`)).toEqual(['[]\n']);
  });
});

describe('log-script patterns: per-event per-core sequence, K records per core, a count table', () => {
  it('numbers each trigger per core, gathers 4 records per core and prints them in one printf', () => {
    const e = new Engine();
    const globals = [
      ...Array.from({ length: CORES }, (_, c) => `.seq${c} = 0;`),
      ...Array.from({ length: CORES }, (_, c) => `.cnt${c} = 0;`),
      ...Array.from({ length: CORES * 8 }, (_, i) => `.rec${i} = 0;`),
    ].join(' ');
    const args = Array.from({ length: 4 }, (_, j) => `recs[${2 * j}], recs[${2 * j + 1}]`).join(
      ', ',
    );
    const script = e.compile(`if (0) { ${globals} }
unsigned long long *.seqs = &.seq0;
unsigned long long *.cnts = &.cnt0;
unsigned long long *recs = &.rec0 + $core * 8;
.seqs[$core]++;
i = .cnts[$core];
recs[i * 2] = .seqs[$core];
recs[i * 2 + 1] = $pid;
.cnts[$core] = i + 1;
if (.cnts[$core] == 4) {
  printf("core %d: %llx/%x %llx/%x %llx/%x %llx/%x\\n", $core, ${args});
  .cnts[$core] = 0;
}`);
    const out: string[] = [];
    for (let k = 0; k < 8; k++) {
      e.pid = BigInt(0x100 + k);
      out.push(...e.run(script, k % 2), ...e.run(script, 3));
    }
    expect(out).toEqual([
      'core 3: 1/100 2/101 3/102 4/103\n',
      'core 0: 1/100 2/102 3/104 4/106\n',
      'core 1: 1/101 2/103 3/105 4/107\n',
      'core 3: 5/104 6/105 7/106 8/107\n',
    ]);
  });

  it('counts triggers per process name, keyed by the first 8 bytes of ImageFileName', () => {
    const e = new Engine();
    const slots = 8;
    const globals = [
      '.used = 0;',
      ...Array.from({ length: slots }, (_, i) => `.key${i} = 0;`),
      ...Array.from({ length: slots }, (_, i) => `.hits${i} = 0;`),
    ].join(' ');
    const script = e.compile(`if (0) { ${globals} }
unsigned long long *.keys = &.key0;
unsigned long long *.hits = &.hits0;
name = dq($pname);
i = 0;
found = 0;
while (i < .used) {
  if (.keys[i] == name) {
    .hits[i]++;
    found = 1;
    break;
  }
  i++;
}
if (found == 0) {
  if (.used < ${slots}) {
    .keys[.used] = name;
    .hits[.used] = 1;
    .used++;
  }
}`);
    for (const n of ['notepad.exe', 'svchost.exe', 'notepad.exe', 'explorer.exe', 'notepad.exe']) {
      e.setName(n);
      e.run(script, 1);
    }
    const key = (n: string) =>
      [...n.slice(0, 8)]
        .reverse()
        .map((c) => c.charCodeAt(0).toString(16))
        .join('');
    expect(
      e.run(
        'printf("%llx=%d %llx=%d %llx=%d %d\\n", .key0, .hits0, .key1, .hits1, .key2, .hits2, .used);',
      ),
    ).toEqual([`${key('notepad.exe')}=3 ${key('svchost.exe')}=1 ${key('explorer.exe')}=1 3\n`]);
  });
});
