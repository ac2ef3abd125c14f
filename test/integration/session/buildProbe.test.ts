// The target's Windows build as the session learns it, against the simulator through a real pty:
// in VMI mode a one-shot script event reads KUSER_SHARED_DATA.NtBuildNumber (0x260) and is
// cleared, for each build the simulator plays; in Debugger Mode the debuggee's connect line
// names it ("... (OS Build N)", kd.cpp KdGetWindowVersion) where the registry has DisplayVersion.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

describe('Windows build detection', () => {
  it.each([18363, 19041, 26100])(
    'VMI mode: the probe event reads build %i and is cleared',
    async (osBuild) => {
      h = createHarness(
        {},
        { detectBuild: true, releaseOf: (b) => (b === 19041 ? 'Windows 10 2004' : null) },
      );
      const harness = h;
      await harness.service.connect(simProfile('local', { seed: 4, pacing: 'fast', osBuild }));
      await eventually(
        () =>
          harness.service.getState().windowsBuild.state !== 'detecting' &&
          harness.service.getState().windowsBuild.state !== 'unknown',
        15_000,
        'the build probe',
      );
      const fact = harness.service.getState().windowsBuild;
      expect(fact).toMatchObject({ state: 'known', build: osBuild, source: 'probe' });
      expect(fact.release).toBe(osBuild === 19041 ? 'Windows 10 2004' : null);
      // The probe is the app's own event, named as such, and gone once it answered.
      const events = harness.service.listEvents();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        kind: '!syscall',
        source: { actionNames: ["HyperDbg Studio's Windows build probe"] },
      });
      await eventually(() => harness.service.listEvents()[0]?.state === 'cleared', 5_000, 'clear');
      // The next event the user applies gets the next id.
      const mine = await harness.service.applyEvent({ kind: '!cpuid', script: 'print(1);' });
      expect(mine.id).toBe('1');
    },
  );

  it('Debugger Mode: the connect line names the build (22H2 has a DisplayVersion)', async () => {
    h = createHarness({}, { detectBuild: true });
    const s = await h.service.connect(
      simProfile('namedPipe', { seed: 4, pacing: 'fast', osBuild: 19045 }),
    );
    expect(s.windowsBuild).toMatchObject({ state: 'known', build: 19045, source: 'debuggee' });
    expect(s.windowsBuild.detail).toContain('(OS Build 19045)');
    // No probe event was needed.
    expect(h.service.listEvents()).toEqual([]);
  });

  it('Debugger Mode on 1909: the connect line names the build (v0.23 always formats "(OS Build N)"), and a probe agrees', async () => {
    h = createHarness({}, { detectBuild: true });
    const s = await h.service.connect(
      simProfile('namedPipe', { seed: 4, pacing: 'fast', osBuild: 18363 }),
    );
    // KdGetWindowVersion's `return FALSE`s are commented out: even without a DisplayVersion
    // (before 20H2) the line is "%s %s %s (OS Build %s)" (audit §3 item 9).
    expect(s.windowsBuild).toMatchObject({ state: 'known', build: 18363, source: 'debuggee' });
    const after = await h.service.detectBuild();
    expect(after.windowsBuild).toMatchObject({ state: 'known', build: 18363 });
  });

  it('is off for the engine unless asked: no probe event', async () => {
    h = createHarness();
    const s = await h.service.connect(simProfile('local', { seed: 4, pacing: 'fast' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.service.getState().windowsBuild.state).toBe('unknown');
    expect(s.windowsBuild.state).toBe('unknown');
    expect(h.service.listEvents()).toEqual([]);
  });
});
