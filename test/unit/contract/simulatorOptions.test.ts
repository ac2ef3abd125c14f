// The contract's simulator options accept nothing the simulator itself refuses: every value the
// schema lets through, `hyperdbg-studio sim` parses (judged by the simulator's own parser), so a
// connect never fails late with a start-up error for an option the form accepted.
import { describe, expect, it } from 'vitest';
import {
  SIMULATOR_OLDEST_OS_BUILD,
  simulatorOptionsSchema,
} from '../../../shared/contract/session';
import { OLDEST_SUPPORTED_BUILD } from '../../../electron/sim/emulator/windowsLayouts';
import { parseOptions } from '../../../electron/sim/options';
import { simulatorArgs } from '../../../electron/host/session/launchPlan';

function simulatorAccepts(options: Record<string, unknown>): boolean {
  try {
    parseOptions(simulatorArgs(options as never));
    return true;
  } catch {
    return false;
  }
}

const EDGES = [
  -1,
  0,
  1,
  2,
  63,
  64,
  65,
  7599,
  7600,
  17762,
  17763,
  19041,
  99999,
  100_000,
  9_999_999,
  10_000_000,
  10_000_001,
  0xffffffff,
  2 ** 32,
];

describe('simulator options in the contract', () => {
  for (const key of ['rate', 'cores', 'osBuild', 'seed'] as const) {
    it(`${key}: every value the contract accepts, the simulator accepts`, () => {
      for (const v of EDGES) {
        const input = { [key]: v };
        const contract = simulatorOptionsSchema.safeParse(input).success;
        if (contract) expect(simulatorAccepts(input), `${key} ${v}`).toBe(true);
      }
    });
  }

  it('refuses rate 0 and builds the emulator has no layout for, with the field named', () => {
    for (const bad of [{ rate: 0 }, { osBuild: 7600 }, { osBuild: 17762 }]) {
      const r = simulatorOptionsSchema.safeParse(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(simulatorAccepts(bad)).toBe(false);
    }
    expect(simulatorOptionsSchema.safeParse({ rate: 1, osBuild: 17763 }).success).toBe(true);
  });

  it('the oldest build stated in the contract is the one the emulator has a layout for', () => {
    expect(SIMULATOR_OLDEST_OS_BUILD).toBe(OLDEST_SUPPORTED_BUILD);
  });
});
