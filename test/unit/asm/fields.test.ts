// Named structure fields in action source: resolved for the target's build from the known-builds
// table or its symbols, shown in the listing with their origin, and every way of not resolving
// one an error on its line that says what is wrong and what to do.
import { describe, expect, it } from 'vitest';
import { assembleAction } from '../../../electron/host/asm/asmService';
import { fieldPathsIn } from '../../../electron/host/asm/sourceParser';
import { loadKnownBuilds } from '../../../electron/host/target/knownBuildsFile';
import { tableEnvironment, type FieldEnvironment } from '../../../shared/model/knownBuilds';

const SOURCE =
  'mov rax, qword ptr gs:[KPCR.Prcb.CurrentThread]\nmov rax, qword ptr [rax+KTHREAD.ApcState.Process]\nadd rax, EPROCESS.ImageFileName\nret';
const env = (build: number | null, extra: Partial<FieldEnvironment> = {}): FieldEnvironment => ({
  ...tableEnvironment(loadKnownBuilds(), build, 'the connected target'),
  ...extra,
});
const assemble = (source: string, fields: FieldEnvironment) =>
  assembleAction(source, {
    role: 'code',
    eventKind: '!syscall',
    bufferSize: 0x18,
    target: 'sim',
    fields,
  });
const errors = async (source: string, fields: FieldEnvironment) =>
  (await assemble(source, fields)).diagnostics.filter((d) => d.severity === 'error');

describe('named structure fields', () => {
  it('resolve per build from the table, each use listed with its origin', async () => {
    const r = await assemble(SOURCE, env(26100));
    expect(r.bytesHex).toBe('65488B042588010000488B80B8000000480538030000C3');
    expect(r.fields).toEqual([
      expect.objectContaining({
        line: 1,
        path: 'KPCR.Prcb.CurrentThread',
        value: 0x188,
        origin: 'table',
      }),
      expect.objectContaining({
        line: 2,
        path: 'KTHREAD.ApcState.Process',
        value: 0xb8,
        origin: 'table',
      }),
      expect.objectContaining({
        line: 3,
        path: 'EPROCESS.ImageFileName',
        value: 0x338,
        origin: 'table',
      }),
    ]);
    expect(r.fields?.[2]?.originText).toBe(
      'table: Windows 11 24H2 (build 26100), Vergilius Project',
    );
    expect(r.resolvedFor).toBe('Windows 11 24H2 (build 26100), the connected target');
    // The listing line of the instruction says it first.
    const line3 = r.listing.find((l) => l.sourceLine === 3);
    expect(line3?.annotations[0]).toBe(
      'EPROCESS.ImageFileName = 0x338 (table: Windows 11 24H2 (build 26100), Vergilius Project)',
    );
    expect(line3?.annotations).toContain('rax = EPROCESS.ImageFileName');
  });

  it("take the target's symbols first", async () => {
    const r = await assemble(
      SOURCE,
      env(18363, {
        symbols: new Map([['EPROCESS.ImageFileName', { value: 0x450, detail: 'dt nt!_EPROCESS' }]]),
      }),
    );
    expect(r.fields?.[2]).toMatchObject({
      value: 0x450,
      origin: 'symbols',
      originText: 'symbols: dt nt!_EPROCESS',
    });
  });

  it('accept the _STRUCT spelling of WinDbg and pdbex', async () => {
    const r = await assemble('mov rax, qword ptr [rcx+_EPROCESS.UniqueProcessId]\nret', env(19041));
    expect(r.fields?.[0]).toMatchObject({ path: 'EPROCESS.UniqueProcessId', value: 0x440 });
  });

  it('refuse an unknown build with what to do, on the line that names the field', async () => {
    const [e] = await errors(
      'add rax, EPROCESS.ImageFileName\nret',
      env(20000, { symbolsNote: 'hyperdbg-cli has no symbol path' }),
    );
    expect(e).toMatchObject({ line: 1, code: 'syntax' });
    expect(e?.message).toMatch(
      /EPROCESS\.ImageFileName: build 20000 is not in the table of known Windows builds \(17763, .*26100\) and the target's symbols did not give it \(hyperdbg-cli has no symbol path\): load the target's symbols \(\.sym reload\) or use a known build/,
    );
  });

  it('refuse a build not known yet, and a field the table does not have, naming its siblings', async () => {
    const [unknown] = await errors('add rax, EPROCESS.ImageFileName', env(null));
    expect(unknown?.message).toMatch(
      /the target's Windows build is not known .*connect to the target, or choose a build/,
    );
    const [typo] = await errors('add rax, EPROCESS.ImageFileNam', env(19041));
    expect(typo?.message).toMatch(
      /EPROCESS\.ImageFileNam: not a field the target's symbols gave, and the table of known builds has EPROCESS: UniqueProcessId, ActiveProcessLinks, InheritedFromUniqueProcessId, ImageFileName/,
    );
    const [other] = await errors('add rax, ETHREAD.Cid', env(19041));
    expect(other?.message).toMatch(
      /the table of known builds has no ETHREAD fields \(it has KPCR, KTHREAD, EPROCESS, KUSER_SHARED_DATA\)/,
    );
  });

  it('are found in a source without resolving them (comments ignored)', () => {
    expect(
      fieldPathsIn(`${SOURCE}\n; EPROCESS.Token is not used\nmov rax, [rcx+_EPROCESS.Peb]`),
    ).toEqual([
      'KPCR.Prcb.CurrentThread',
      'KTHREAD.ApcState.Process',
      'EPROCESS.ImageFileName',
      'EPROCESS.Peb',
    ]);
  });
});
