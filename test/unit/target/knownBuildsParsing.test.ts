// The known-builds table's file as the app reads it: the shipped one loads, and a damaged one is
// refused naming what and where (it ships with the app, so it is checked like any input); the
// dt listing the symbols route reads; the build probe's script and line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKnownBuildsFile } from '../../../electron/host/target/knownBuildsFile';
import {
  BUILD_PROBE_SCRIPT,
  buildProbeScript,
  parseBuildProbeLine,
} from '../../../shared/hyperdbg/buildProbe';
import { parseDtListing } from '../../../shared/hyperdbg/dtListing';
import { knownBuild, parseKnownBuilds } from '../../../shared/model/knownBuilds';
import { repoRoot } from '../../helpers/paths';

const shipped = () => readFileSync(join(repoRoot, 'resources/windows-builds.json'), 'utf8');

describe('the known-builds file', () => {
  it('is found beside the app and loads, every build citing its sources', () => {
    expect(findKnownBuildsFile()).toBe(join(repoRoot, 'resources/windows-builds.json'));
    const r = parseKnownBuilds(shipped());
    if (!r.ok) throw new Error(r.error);
    expect(r.value.builds.map((b) => b.build)).toEqual([
      17763, 18362, 18363, 19041, 19042, 19043, 19044, 19045, 22000, 22621, 22631, 26100,
    ]);
    for (const b of r.value.builds) {
      expect(b.sources.some((s) => s.url.startsWith('https://www.vergiliusproject.com/'))).toBe(
        true,
      );
      expect(b.offsets.size).toBe(r.value.fields.size);
    }
    expect(knownBuild(r.value, 19045)?.offsets.get('EPROCESS.ImageFileName')).toBe(0x5a8);
  });

  it('refuses a damaged file, saying what and where', () => {
    const json = JSON.parse(shipped()) as {
      builds: { build: number; sources: string[]; offsets: Record<string, string> }[];
    };
    const bad = (mutate: (j: typeof json) => void) => {
      const j = structuredClone(json);
      mutate(j);
      return parseKnownBuilds(JSON.stringify(j));
    };
    expect(parseKnownBuilds('{')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not JSON/),
    });
    expect(
      bad(
        (j) =>
          ((j.builds[0] as { offsets: Record<string, string> }).offsets['EPROCESS.ImageFileName'] =
            '1104'),
      ),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /builds\.0\.offsets\.EPROCESS\.ImageFileName: offsets are lower-case hex strings/,
      ),
    });
    expect(bad((j) => ((j.builds[1] as { build: number }).build = 17763))).toMatchObject({
      ok: false,
      error: 'builds.1.build: listed twice',
    });
    expect(
      bad((j) => (j.builds[0] as { sources: string[] }).sources.push('nowhere')),
    ).toMatchObject({
      ok: false,
      error: 'builds.0.sources: source \'nowhere\' is not described under "sources"',
    });
  });
});

describe("dt's answer", () => {
  it('reads members, nested structures and bitfields, and nothing from an error', () => {
    const s = parseDtListing([
      ' _KTHREAD',
      '  +0x0000 _DISPATCHER_HEADER Header',
      '  +0x0074 uint32_t AutoBoostActive, Pos 0, 1 Bit',
      '  +0x0098 _KAPC_STATE ApcState',
      '  +0x00f0 void* Teb',
      '  +0x0220 _KPROCESS* Process',
      '  +0x0450 uint8_t ImageFileName[15] : (array)',
      '',
    ]);
    expect(s?.name).toBe('_KTHREAD');
    expect(s?.members.find((m) => m.name === 'ApcState')).toMatchObject({
      offset: 0x98,
      udt: '_KAPC_STATE',
    });
    expect(s?.members.find((m) => m.name === 'Process')).toMatchObject({
      offset: 0x220,
      udt: null,
    });
    expect(s?.members.find((m) => m.name === 'AutoBoostActive')?.bitfield).toBe(true);
    expect(s?.members.find((m) => m.name === 'ImageFileName')).toMatchObject({
      offset: 0x450,
      udt: null,
    });
    expect(parseDtListing(['Symbol not found'])).toBeNull();
    expect(parseDtListing(["err, couldn't resolve error at 'nt!_FOO'"])).toBeNull();
  });
});

describe('the build probe', () => {
  it('reads KUSER_SHARED_DATA.NtBuildNumber (0xfffff78000000260), masked to 16 bits, in decimal', () => {
    expect(BUILD_PROBE_SCRIPT).toBe(
      'printf("hyperdbg-studio build probe: NtBuildNumber = %d\\n", dd(0xfffff78000000260) & 0xffff);',
    );
    expect(parseBuildProbeLine('hyperdbg-studio build probe: NtBuildNumber = 19045')).toBe(19045);
    expect(parseBuildProbeLine('hyperdbg-studio build probe: NtBuildNumber = 0')).toBeNull();
    expect(parseBuildProbeLine('something else 19045')).toBeNull();
  });
  it('prints once, behind a flag of its own (globals outlive the event)', () => {
    expect(buildProbeScript('x1')).toBe(
      `if (0) { .hbpx1 = 0; } if (.hbpx1 == 0) { .hbpx1 = 1; ${BUILD_PROBE_SCRIPT} }`,
    );
    expect(() => buildProbeScript('X-1')).toThrow(/1-8 of/);
  });
});
