// The simulator's HyperDbg script subset: printf's specifier check (spec §5.1), the script engine's
// error report format (spec §3.3), formatting of values, and the HDBG1 record line
// (buffer-records.md §2).
import { describe, expect, it } from 'vitest';
import { recordLine } from '../../../electron/sim/engine/dispatcher';
import {
  runScript,
  ScriptRuntimeError,
  type ScriptEnvironment,
} from '../../../electron/sim/script/evaluator';
import { compileScript, formatSpecs, ScriptSyntaxError } from '../../../electron/sim/script/parser';
import { formatInteger } from '../../../electron/sim/script/printf';
import { GuestMemory, arrayStore } from '../../../electron/sim/emulator/guestMemory';
import { ScriptPools } from '../../../electron/sim/script/pools';

const noSymbols = () => null;

function run(
  source: string,
  setup?: (m: GuestMemory) => void,
): { lines: string[]; regs: BigUint64Array } {
  const memory = new GuestMemory();
  memory.add({
    name: 'data',
    base: 0x1000n,
    size: 0x1000,
    end: 0x2000n,
    protection: 'rw',
    store: arrayStore(0x1000),
  });
  setup?.(memory);
  const lines: string[] = [];
  const regs = new BigUint64Array(16);
  regs[0] = 0x55n;
  regs[8] = 0x47424448n;
  const env: ScriptEnvironment = {
    memory,
    regs,
    special: (n) => (n === 'rip' ? 0xfffff8004ed6f010n : 0n),
    pseudo: (n) => (n === 'pid' ? 0x1a4n : n === 'context' ? 0x55n : 0n),
    pools: new ScriptPools(0xffff900000000000n, [0xffff900000001000n]),
    core: 0,
    emit: (t) => lines.push(t),
  };
  runScript(compileScript(source, noSymbols), env);
  return { lines, regs };
}

describe('printf specifiers (spec §5.1)', () => {
  it('counts only the accepted conversions: width, precision, %X and %% are not', () => {
    expect(formatSpecs('%d %i %u %o %x %c %p %s %f').length).toBe(9);
    expect(
      formatSpecs('%ls %ws %ld %li %lu %lo %lx %hd %hi %hu %ho %hx %lld %lli %llu %llo %llx')
        .length,
    ).toBe(17);
    expect(formatSpecs('%02x %016llx %X %%').length).toBe(0);
  });

  it('makes a width a syntax error, reported in the script engine format (spec §3.3, §5.1)', () => {
    let report = '';
    try {
      compileScript(' printf("%02x\\n", @rax); ', noSymbols);
    } catch (e) {
      report = e instanceof ScriptSyntaxError ? e.report : '';
    }
    const lines = report.split('\n');
    expect(lines[0]).toMatch(/^Line \d+:$/);
    expect(lines[1]).toBe(' printf("%02x\\n", @rax); ');
    expect(lines[2]).toMatch(/^ *\^$/);
    expect(lines[3]).toBe('Syntax Error: Invalid Syntax');
  });

  it('formats %x/%llx/%d/%hx/%p/%c as the C runtime does with a 64-bit argument', () => {
    expect(formatInteger('%x', 0x1_0000_0005n)).toBe('5');
    expect(formatInteger('%llx', 0x1_0000_0005n)).toBe('100000005');
    expect(formatInteger('%d', 0xffffffffn)).toBe('-1');
    expect(formatInteger('%hx', 0x12345n)).toBe('2345');
    expect(formatInteger('%p', 0xdeadn)).toBe('000000000000DEAD');
    expect(formatInteger('%c', 0x41n)).toBe('A');
  });
});

describe('script evaluation', () => {
  it('prints registers, pseudo-registers, memory reads and arithmetic (spec §5.1)', () => {
    const { lines } = run(
      'printf("%llx %x %x\\n", @r8, $pid, dd(1010) + 1); print(10 * 2); .g = 5; printf("%x\\n", .g << 4);',
      (m) => m.writeU32(0x1010n, 0x41),
    );
    expect(lines).toEqual(['47424448 1a4 42\n', '20\n', '50\n']);
  });

  it('writes registers back to GUEST_REGS (spec §8)', () => {
    const { regs } = run('@r8 = 32424448; @eax = 1;');
    expect(regs[8]).toBe(0x32424448n);
    expect(regs[0]).toBe(1n);
  });

  it('aborts on an unmapped read with the failing function named (spec §5.1)', () => {
    expect(() => run('printf("%llx\\n", dq(0));')).toThrow(ScriptRuntimeError);
  });

  it('supports if/else and while', () => {
    const { lines } = run(
      'i = 0; while (i < 3) { i = i + 1; } if (i == 3) { printf("three\\n"); } else { printf("no\\n"); }',
    );
    expect(lines).toEqual(['three\n']);
  });

  it('reports an unassigned variable as unresolved (spec §3.3)', () => {
    expect(() => compileScript('printf("%x", nothing);', noSymbols)).toThrow(/Unresolved Variable/);
  });
});

describe('HDBG1 record lines (buffer-records.md §2)', () => {
  it('prints lowercase hex, n = ceil(length/8) little-endian words without padding', () => {
    const bytes = new Uint8Array(0x18);
    bytes.set([...'notepad.exe'].map((c) => c.charCodeAt(0)));
    bytes[15] = 2;
    // "notepad." = 6e 6f 74 65 70 61 64 2e -> 2e64617065746f6e; "exe\0\0\0\0\x02" -> 200000000657865
    expect(recordLine(0, 3, 0x55n, bytes)).toBe(
      'HDBG1 0 3 55 18 2e64617065746f6e 200000000657865 0\n',
    );
    expect(recordLine(0x1f, 0, 0xfffff8004ed6f010n, Uint8Array.of(1, 2, 3))).toBe(
      'HDBG1 1f 0 fffff8004ed6f010 3 30201\n',
    );
  });
});
