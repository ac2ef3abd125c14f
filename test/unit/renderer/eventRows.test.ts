// Event list rows: records and rate from the log's per-event stats of the current CLI process,
// a dash for events that print nothing, and the commands each state allows.
import { describe, expect, it } from 'vitest';
import type { EventInfo } from '../../../shared/contract/session';
import { eventRows, formatRate } from '../../../renderer/src/events/eventRows';

const ev = (id: string, p: Partial<EventInfo> = {}): EventInfo => ({
  id,
  kind: '!syscall',
  state: 'active',
  command: '!syscall buffer 18 code {65}',
  listed: null,
  binding: null,
  source: { actionIds: ['a'], actionNames: ['ImageFileName'], versionHashes: ['h'] },
  foreign: false,
  printsRecords: true,
  createdAt: 0,
  ...p,
});

describe('eventRows', () => {
  it('joins events with the stats of this CLI process only', () => {
    const rows = eventRows(
      [ev('0'), ev('a', { printsRecords: false, source: null, foreign: true, state: 'disabled' })],
      [
        {
          generation: 2,
          eventId: 0,
          count: 1500,
          rate: 250.4,
          lastAt: 0,
          actionName: null,
          decodeWarning: 'ImageFileName is blank in 30 of the first 32 records: ...',
          lost: 12,
        },
        {
          generation: 1,
          eventId: 10,
          count: 9,
          rate: 1,
          lastAt: 0,
          actionName: null,
          decodeWarning: null,
          lost: null,
        },
      ],
      2,
    );
    expect(rows[0]).toMatchObject({
      hits: '1,500',
      rate: '250/s',
      lost: '12 (0.8%)',
      lostCount: 12,
      decodeWarning: 'ImageFileName is blank in 30 of the first 32 records: ...',
      origin: 'ImageFileName',
      canDisable: true,
      canEnable: false,
    });
    expect(rows[1]).toMatchObject({
      hits: '—',
      rate: '—',
      origin: 'typed in the console',
      canEnable: true,
      canClear: true,
    });
  });
  it('cleared events offer nothing', () => {
    expect(eventRows([ev('1', { state: 'cleared' })], [], 1)[0]).toMatchObject({
      canEnable: false,
      canDisable: false,
      canClear: false,
      hits: '0',
    });
  });
  it('formats rates', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(2.345)).toBe('2.3/s');
    expect(formatRate(12345.6)).toBe('12,346/s');
  });
});
