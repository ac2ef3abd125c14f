// Shutting the host down never leaves a CLI (or simulator) process behind: neither after a
// session is connected, nor when dispose arrives while a connect is still under way.
import { describe, expect, it } from 'vitest';
import { createHarness, eventually, simProfile } from '../../helpers/sessionHarness';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('session dispose', () => {
  it('stops a connected simulator', async () => {
    const h = createHarness();
    await h.service.connect(simProfile('local', { seed: 3 }));
    const pid = h.service.runStats()?.pid as number;
    expect(alive(pid)).toBe(true);
    await h.service.dispose();
    await eventually(() => !alive(pid), 10_000, 'the simulator to end');
    await h.dispose();
  });

  it('stops the process of a connect that was still under way', async () => {
    const h = createHarness();
    const connecting = h.service.connect(simProfile('local', { seed: 4 }));
    // Wait until the process exists but the connect sequence has not finished.
    await eventually(() => h.service.runStats() !== null, 10_000, 'the simulator to start');
    const pid = h.service.runStats()?.pid as number;
    const disposed = h.service.dispose();
    await connecting.catch(() => undefined);
    await disposed;
    await eventually(() => !alive(pid), 10_000, 'the simulator to end');
    expect(h.service.getState().status).not.toBe('ready');
    await h.dispose();
  });
});
