// The host's health from the transport and the heartbeat: a closed socket is a lost host at
// once, a refused one a restarted host, an open socket without a heartbeat for longer than the
// stale bound a host that stopped answering; and the uptime in words.
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_STALE_MS, hostHealthState } from '../../../renderer/src/app/hostHealth';
import { formatUptime } from '../../../renderer/src/app/HostStatus';

describe('hostHealthState', () => {
  const now = 1_000_000;
  it('follows the transport first', () => {
    expect(hostHealthState('closed', now, now)).toBe('lost');
    expect(hostHealthState('refused', now, now)).toBe('refused');
    expect(hostHealthState('connecting', null, now)).toBe('connecting');
  });

  it('turns an open but silent host into not responding past the stale bound', () => {
    expect(hostHealthState('open', now - HEARTBEAT_STALE_MS, now)).toBe('up');
    expect(hostHealthState('open', now - HEARTBEAT_STALE_MS - 1, now)).toBe('unresponsive');
    expect(hostHealthState('open', null, now)).toBe('up');
    // Within 2 s of the last beat at the latest (the bound), with a beat a second.
    expect(HEARTBEAT_STALE_MS).toBeGreaterThan(1000);
    expect(HEARTBEAT_STALE_MS).toBeLessThan(2000);
  });
});

describe('formatUptime', () => {
  it('says seconds, minutes, then hours and minutes', () => {
    expect(formatUptime(42_900)).toBe('42 s');
    expect(formatUptime(7 * 60_000 + 5000)).toBe('7 min');
    expect(formatUptime(3 * 3_600_000 + 5 * 60_000)).toBe('3 h 05 min');
  });
});
