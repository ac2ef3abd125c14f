// The table of known Windows builds (resources/windows-builds.json) against the simulator: it
// covers every build the simulator offers, and for each one its offsets are those the synthetic
// guest really uses (its layouts, its KUSER_SHARED_DATA, its simulated PDB's `dt` types), read
// back from guest memory in the real emulator. A wrong entry on either side fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKnownBuilds, knownBuild, type KnownBuilds } from '../../../shared/model/knownBuilds';
import {
  KUSER_NT_BUILD_NUMBER,
  KUSER_SHARED_KERNEL,
  WindowsGuest,
} from '../../../electron/sim/emulator/windowsGuest';
import {
  layoutForBuild,
  OFFERED_OS_BUILDS,
  STABLE_OFFSETS as S,
} from '../../../electron/sim/emulator/windowsLayouts';
import { ntTypesForBuild } from '../../../electron/sim/symbols/typeTable';
import { repoRoot } from '../../helpers/paths';

function table(): KnownBuilds {
  const parsed = parseKnownBuilds(
    readFileSync(join(repoRoot, 'resources/windows-builds.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('the table of known builds and the simulator agree', () => {
  const t = table();

  it('lists every build the simulator offers, with the same release name', () => {
    for (const o of OFFERED_OS_BUILDS)
      expect(knownBuild(t, o.build)?.release, `${o.build}`).toBe(o.release);
  });

  it.each(OFFERED_OS_BUILDS.map((o) => o.build))(
    'build %i: the guest layout has the table offsets',
    (build) => {
      const k = knownBuild(t, build);
      if (k === undefined) throw new Error(`no table entry for ${build}`);
      const L = layoutForBuild(build);
      const off = (p: string) => k.offsets.get(p);
      expect(off('EPROCESS.UniqueProcessId')).toBe(L.uniqueProcessId);
      expect(off('EPROCESS.ActiveProcessLinks')).toBe(L.activeProcessLinks);
      expect(off('EPROCESS.InheritedFromUniqueProcessId')).toBe(L.inheritedFromUniqueProcessId);
      expect(off('EPROCESS.ImageFileName')).toBe(L.imageFileName);
      expect(off('KTHREAD.ApcState.Process')).toBe(S.kthreadApcStateProcess);
      expect(off('KPCR.Prcb.CurrentThread')).toBe(S.kpcrPrcb + S.prcbCurrentThread);
      expect(off('KPCR.Prcb.Number')).toBe(S.kpcrPrcb + S.prcbNumber);
      expect(off('KUSER_SHARED_DATA.NtBuildNumber')).toBe(KUSER_NT_BUILD_NUMBER);
    },
  );

  it.each([18363, 19041, 26100])(
    'build %i: walking the guest by the table finds the System process and the build number',
    (build) => {
      const k = knownBuild(t, build);
      if (k === undefined) throw new Error(`no table entry for ${build}`);
      const guest = WindowsGuest.create({ seed: 5, cores: 1, osBuild: build });
      try {
        const m = guest.memory;
        const core = guest.cores[0];
        if (core === undefined) throw new Error('no core');
        const system = guest.processes.find((p) => p.imageName === 'System');
        if (system === undefined) throw new Error('no System process');
        guest.setCurrentThread(core, system.threads[0] ?? core.idleThread);
        const thread = m.readU64(
          core.kpcr + BigInt(k.offsets.get('KPCR.Prcb.CurrentThread') ?? -1),
        );
        const eprocess = m.readU64(
          (thread ?? 0n) + BigInt(k.offsets.get('KTHREAD.ApcState.Process') ?? -1),
        );
        expect(eprocess).toBe(system.eprocess);
        const name = m.read(
          (eprocess ?? 0n) + BigInt(k.offsets.get('EPROCESS.ImageFileName') ?? -1),
          15,
        );
        expect(new TextDecoder().decode(name ?? new Uint8Array()).replace(/\0+$/, '')).toBe(
          'System',
        );
        expect(
          m.readU64((eprocess ?? 0n) + BigInt(k.offsets.get('EPROCESS.UniqueProcessId') ?? -1)),
        ).toBe(4n);
        const nt = m.read(
          KUSER_SHARED_KERNEL + BigInt(k.offsets.get('KUSER_SHARED_DATA.NtBuildNumber') ?? -1),
          4,
        );
        expect(nt === null ? -1 : new DataView(nt.buffer, nt.byteOffset).getUint32(0, true)).toBe(
          build,
        );
      } finally {
        guest.emulator.close();
      }
    },
  );

  it("the simulated PDB's dt offsets, where it has the type, are the table's", () => {
    for (const { build } of OFFERED_OS_BUILDS) {
      const k = knownBuild(t, build);
      const types = ntTypesForBuild(build);
      const eprocess = types.get('_EPROCESS');
      if (eprocess === undefined) continue;
      const member = (name: string) => eprocess.members.find((m) => m.name === name)?.offset;
      expect(member('UniqueProcessId'), `${build}`).toBe(
        k?.offsets.get('EPROCESS.UniqueProcessId'),
      );
      expect(member('ImageFileName'), `${build}`).toBe(k?.offsets.get('EPROCESS.ImageFileName'));
    }
    // 24H2 has no simulated type table: dt must not answer with another build's layout.
    expect(ntTypesForBuild(26100).get('_EPROCESS')).toBeUndefined();
  });
});
