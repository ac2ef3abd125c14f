// The binder's delivery choice (renderer/src/events/delivery.ts): an event's trigger rate from
// what the log saw (delivered rate scaled by its lost share), the busiest event of a kind, and
// K with what it carries; and the loss words beside the log's counts (format.ts).
import { describe, expect, it } from 'vitest';
import type { LogEventStats } from '../../../shared/contract/log';
import type { EventInfo } from '../../../shared/contract/session';
import {
  deliveryPlan,
  formatLatency,
  observedRate,
  triggerRate,
} from '../../../renderer/src/events/delivery';
import { describeTargetLoss } from '../../../renderer/src/log/format';

const stat = (
  eventId: number,
  count: number,
  rate: number,
  lost: number | null,
): LogEventStats => ({
  generation: 1,
  eventId,
  count,
  rate,
  lastAt: 0,
  actionName: null,
  decodeWarning: null,
  lost,
});

describe('delivery', () => {
  it('estimates what an event fires from its delivered rate and its lost share', () => {
    expect(triggerRate(stat(1, 100, 33, 900))).toBeCloseTo(330);
    expect(triggerRate(stat(1, 100, 33, null))).toBe(33); // unknown loss: what arrived
    expect(triggerRate(stat(1, 0, 0, 0))).toBe(0);
  });

  it('takes the busiest event of the kind in this CLI process', () => {
    const ev = (id: string, command: string) => ({ id, command }) as unknown as EventInfo;
    const events = [
      ev('1', '!syscall buffer 200 script {...}'),
      ev('2', '!epthook nt!X script {}'),
    ];
    const stats = [
      stat(1, 100, 33, 900),
      stat(2, 10, 5000, 0),
      { ...stat(1, 1, 1, 0), generation: 0 },
    ];
    expect(observedRate('!syscall', events, stats, 1)).toEqual({ eventId: '1', rate: 330 });
    expect(observedRate('!syscall', events, stats, 2)).toBeNull();
    expect(observedRate('!monitor', events, stats, 1)).toBeNull();
  });

  it('per event carries 33 records/s; batched carries K times that, K at least 2', () => {
    expect(deliveryPlan('per-event', '', 5000, 15)).toMatchObject({ k: 1, carriesPerS: 33 });
    const p = deliveryPlan('batched', '', 660, 15);
    expect(p).toMatchObject({ k: 25, carriesPerS: 825, auto: true, error: null });
    expect(formatLatency(p.latencyS)).toBe('38 ms');
    expect(formatLatency(null)).toBe('unknown until the event fires');
    expect(deliveryPlan('batched', 'x', 0, 15).error).toMatch(/whole number from 2 to 53/);
  });

  it('says the loss, or why it cannot be told', () => {
    expect(describeTargetLoss({ targetLost: 1234, unsequenced: 0, total: 10 })).toBe('1,234 lost');
    expect(describeTargetLoss({ targetLost: 0, unsequenced: 10, total: 10 })).toBe(
      'loss unknown (records without sequence numbers)',
    );
    expect(describeTargetLoss({ targetLost: 5, unsequenced: 3, total: 10 })).toBe(
      '5 lost; loss of 3 records without sequence numbers unknown',
    );
  });
});
