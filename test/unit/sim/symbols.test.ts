// The simulated ntkrnlmp.pdb: its structure tables agree with the guest's layouts for every
// build band, and `dt`'s rendering follows pdbex's offset view (PDBHeaderReconstructor.cpp with
// HyperDbg's HYPERDBG_CODES: "  +0x%04x ", ", Pos %i, %i Bit", padding members, values).
import { describe, expect, it } from 'vitest';
import { layoutForBuild, STABLE_OFFSETS } from '../../../electron/sim/emulator/windowsLayouts';
import { parseOptions, USAGE } from '../../../electron/sim/options';
import { renderStruct, separate64 } from '../../../electron/sim/symbols/pdbexView';
import { ntTypesForBuild, type StructType } from '../../../electron/sim/symbols/typeTable';

const offsetOf = (t: StructType, name: string): number | undefined =>
  t.members.find((m) => m.name === name)?.offset;

describe('the synthetic PDB agrees with the guest layouts (windowsLayouts.ts)', () => {
  for (const build of [17763, 18363, 19041, 19045]) {
    it(`_EPROCESS of ${build}`, () => {
      const L = layoutForBuild(build);
      const e = ntTypesForBuild(build).get('_EPROCESS') as StructType;
      expect(e.size).toBe(L.eprocessSize);
      expect(offsetOf(e, 'UniqueProcessId')).toBe(L.uniqueProcessId);
      expect(offsetOf(e, 'ActiveProcessLinks')).toBe(L.activeProcessLinks);
      expect(offsetOf(e, 'Token')).toBe(L.token);
      expect(offsetOf(e, 'InheritedFromUniqueProcessId')).toBe(L.inheritedFromUniqueProcessId);
      expect(offsetOf(e, 'Peb')).toBe(L.peb);
      expect(offsetOf(e, 'ImageFileName')).toBe(L.imageFileName);
      expect(offsetOf(e, 'ThreadListHead')).toBe(L.threadListHead);
      expect(offsetOf(e, 'ActiveThreads')).toBe(L.activeThreads);
      // Pcb is the whole _KPROCESS, and ProcessLock follows it.
      const k = ntTypesForBuild(build).get('_KPROCESS') as StructType;
      expect(offsetOf(e, 'ProcessLock')).toBe(k.size);
      expect(offsetOf(k, 'DirectoryTableBase')).toBe(STABLE_OFFSETS.kprocessDirectoryTableBase);
    });
  }

  it('_KTHREAD of 19041 has the KTHREAD fields the guest writes', () => {
    const t = ntTypesForBuild(19041).get('_KTHREAD') as StructType;
    expect(offsetOf(t, 'InitialStack')).toBe(STABLE_OFFSETS.kthreadInitialStack);
    expect(offsetOf(t, 'StackLimit')).toBe(STABLE_OFFSETS.kthreadStackLimit);
    expect(offsetOf(t, 'KernelStack')).toBe(STABLE_OFFSETS.kthreadKernelStack);
    expect((offsetOf(t, 'ApcState') as number) + 0x20).toBe(STABLE_OFFSETS.kthreadApcStateProcess);
    expect(offsetOf(t, 'Teb')).toBe(STABLE_OFFSETS.kthreadTeb);
    expect(offsetOf(t, 'Process')).toBe(STABLE_OFFSETS.kthreadProcess);
    expect(offsetOf(t, 'ThreadListEntry')).toBe(0x2f8);
  });

  it('carries no _KTHREAD for builds before 19041 (dt answers "Symbol not found" there)', () => {
    expect(ntTypesForBuild(18363).get('_KTHREAD')).toBeUndefined();
  });

  it('numbers bitfields from 0 within their storage unit', () => {
    const e = ntTypesForBuild(19041).get('_EPROCESS') as StructType;
    const bits = e.members.filter((m) => m.offset === 0x460 && m.bits !== 0);
    expect(bits[0]).toMatchObject({ name: 'JobNotReallyActive', bitPosition: 0, bits: 1 });
    expect(bits.find((m) => m.name === 'DefaultPagePriority')).toMatchObject({
      bitPosition: 12,
      bits: 3,
    });
    expect(bits.at(-1)).toMatchObject({ name: 'InPrivate', bitPosition: 31 });
  });
});

describe("pdbex's offset view", () => {
  it('prints " Name", one "  +0x%04x type name" line per member and a blank line (-e n -i)', () => {
    const s = ntTypesForBuild(19041).get('_LIST_ENTRY') as StructType;
    expect(renderStruct(s, null)).toBe(
      ' _LIST_ENTRY\n  +0x0000 _LIST_ENTRY* Flink\n  +0x0008 _LIST_ENTRY* Blink\n\n\n',
    );
  });

  it('fills a gap with a "long Padding_N" member (MSVC names, no brackets for one)', () => {
    const s = ntTypesForBuild(19041).get('_UNICODE_STRING') as StructType;
    expect(renderStruct(s, null)).toBe(
      ' _UNICODE_STRING\n  +0x0000 uint16_t Length\n  +0x0002 uint16_t MaximumLength\n  +0x0004 long Padding_0\n  +0x0008 wchar_t* Buffer\n\n\n',
    );
  });

  it('appends __PADDING__ when the last member ends before the structure (PDB.cpp)', () => {
    const e = ntTypesForBuild(19041).get('_EPROCESS') as StructType;
    const text = renderStruct(e, null);
    expect(text).toContain(
      '  +0x0a20 uint32_t DisabledComponentFlags\n  +0x0a24 int32_t __PADDING__[7]\n',
    );
    expect(text).toContain('  +0x0460 uint32_t DefaultPagePriority, Pos 12, 3 Bit\n');
    expect(text).toContain('  +0x09d0 _TAG_UNNAMED_1 MitigationFlagsValues\n');
    expect(text).toContain('  +0x09d4 _TAG_UNNAMED_2 MitigationFlags2Values\n');
    expect(text).toContain('  +0x04e8 _EJOB* volatile CommitChargeJob\n');
  });

  it('appends values: "(null)", 64-bit with a backtick, "0x%x", bits lowest first, list links', () => {
    const e = ntTypesForBuild(19041).get('_EX_FAST_REF') as StructType;
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, 0xffffa00012345675n, true);
    expect(renderStruct(e, bytes)).toBe(
      ' _EX_FAST_REF\n' +
        `  +0x0000 void* Object : ${separate64(0xffffa00012345675n)}\n` +
        '  +0x0000 uint64_t RefCnt, Pos 0, 4 Bit : 0y1010 (0x5)\n' +
        '  +0x0000 uint64_t Value : ffffa000`12345675\n\n\n',
    );
    const l = ntTypesForBuild(19041).get('_LIST_ENTRY') as StructType;
    const zero = renderStruct(l, new Uint8Array(16));
    expect(zero).toContain('  +0x0000 _LIST_ENTRY* Flink : (null)\n');
  });
});

describe('--symbols (sim options)', () => {
  it('defaults to configured, accepts none, refuses anything else, and is in --help', () => {
    expect(parseOptions([], 1)).toMatchObject({ symbols: 'configured' });
    expect(parseOptions(['--symbols', 'none'], 1)).toMatchObject({ symbols: 'none' });
    expect(parseOptions(['--symbols=none'], 1)).toMatchObject({ symbols: 'none' });
    expect(() => parseOptions(['--symbols', 'some'])).toThrow(
      "--symbols must be 'configured' or 'none', got 'some'",
    );
    expect(USAGE).toContain('--symbols configured|none');
  });
});
