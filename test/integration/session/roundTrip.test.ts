// Every accepted binding of the builder's corpus goes through the session into the simulator
// (a real pty) and comes back in `events` with the text spec §4 says it lists: tokens joined by
// single spaces with a trailing space, braces and quotes removed, cut at 70 characters plus "...".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { ROUND_TRIP_BINDINGS } from '../../helpers/sessionCorpus';
import { createHarness, simProfile, type Harness } from '../../helpers/sessionHarness';

function rawListing(h: Harness): string {
  return h.service.terminalSnapshot().data.replaceAll('\r\n', '\n');
}

for (const mode of ['vmi', 'debugger'] as const) {
  describe(`round trip through the simulator, ${mode === 'vmi' ? 'VMI mode' : 'Debugger Mode'}`, () => {
    let h: Harness;
    const cases = ROUND_TRIP_BINDINGS.filter((c) => c.mode === mode);

    beforeAll(async () => {
      // Each binding's exact line (§4): records keep the console channel.
      h = createHarness({}, { recordChannel: 'console' });
      await h.service.connect(
        simProfile(mode === 'vmi' ? 'local' : 'namedPipe', { seed: 11, rate: 200 }),
      );
      // Debugger Mode: apply everything while the debuggee is halted (breaks would halt it anyway).
      if (mode === 'debugger') await h.service.pause();
    });
    afterAll(async () => h.dispose());

    it('applies each binding as its exact line and finds it listed with the spec text (§4)', async () => {
      for (const [i, c] of cases.entries()) {
        const info = await h.service.applyEvent(c.binding as EventBinding);
        expect({ line: info.command, listed: info.listed }).toEqual({
          line: c.line,
          listed: c.listed,
        });
        expect(info).toMatchObject({ id: i.toString(16), state: 'active', foreign: false });
      }
      const r = await h.service.command('events');
      expect(r.errors).toEqual([]);
      const raw = rawListing(h);
      // Without ConPTY nothing echoes `events`: its first row follows the prompt (§1.4).
      const at = raw.lastIndexOf('HyperDbg> 0\t(');
      expect(at).toBeGreaterThan(0);
      const last = `\n${raw.slice(at + 'HyperDbg> '.length)}`;
      // The simulator's own bytes, as `"%x\t(%s)\t    %s\n"` prints them (§4).
      for (const [i, c] of cases.entries())
        expect(last).toContain(`\n${i.toString(16)}\t(enabled)\t    ${c.listed}\n`);
      expect(h.service.listEvents().map((e) => e.listed)).toEqual(cases.map((c) => c.listed));
    });
  });
}
