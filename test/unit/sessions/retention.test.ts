// The retention rule: keep the newest N sessions, the last N days and/or a total size; protected
// sessions (running, open, unreadable) are never chosen but still count.
import { describe, expect, it } from 'vitest';
import { retentionVictims, type RetentionCandidate } from '../../../shared/sessions/retention';

const DAY = 86_400_000;
const NOW = 100 * DAY;
const MIB = 1024 * 1024;
const s = (
  id: string,
  ageDays: number,
  mib = 1,
  protectedBy: string | null = null,
): RetentionCandidate => ({
  id,
  createdAt: NOW - ageDays * DAY,
  sizeBytes: mib * MIB,
  protectedBy,
});

describe('retention', () => {
  const all = [s('a', 50), s('b', 20), s('c', 5), s('live', 0, 1, 'it is the running session')];

  it('keeps everything with no limits', () => {
    expect(
      retentionVictims(all, { keepSessions: null, keepDays: null, maxTotalMiB: null }, NOW),
    ).toEqual([]);
  });

  it('keeps the newest N, counting the running session, oldest first in the answer', () => {
    expect(
      retentionVictims(all, { keepSessions: 2, keepDays: null, maxTotalMiB: null }, NOW),
    ).toEqual([
      { id: 'a', reason: 'beyond the newest 2 sessions' },
      { id: 'b', reason: 'beyond the newest 2 sessions' },
    ]);
  });

  it('never chooses a protected session, even the oldest', () => {
    const open = [s('a', 50, 1, 'it is open'), s('b', 20), s('c', 5), s('live', 0, 1, 'running')];
    expect(
      retentionVictims(open, { keepSessions: 1, keepDays: 1, maxTotalMiB: 1 }, NOW).map(
        (v) => v.id,
      ),
    ).toEqual(['b', 'c']);
  });

  it('keeps the last N days', () => {
    expect(
      retentionVictims(all, { keepSessions: null, keepDays: 10, maxTotalMiB: null }, NOW),
    ).toEqual([
      { id: 'a', reason: 'older than 10 days' },
      { id: 'b', reason: 'older than 10 days' },
    ]);
  });

  it('deletes the oldest until the total fits the cap, protected sizes included', () => {
    const sized = [s('a', 50, 40), s('b', 20, 30), s('c', 5, 20), s('live', 0, 10, 'running')];
    // 100 MiB in all; a 65 MiB cap needs 35 gone: the oldest (40) is enough.
    expect(
      retentionVictims(sized, { keepSessions: null, keepDays: null, maxTotalMiB: 65 }, NOW),
    ).toEqual([{ id: 'a', reason: 'over the 65 MiB total' }]);
    expect(
      retentionVictims(sized, { keepSessions: null, keepDays: null, maxTotalMiB: 25 }, NOW).map(
        (v) => v.id,
      ),
    ).toEqual(['a', 'b', 'c']);
  });

  it('keeps a session whose age is unknown when it goes by days', () => {
    const unknown = [{ id: 'x', createdAt: null, sizeBytes: 1, protectedBy: null }];
    expect(
      retentionVictims(unknown, { keepSessions: null, keepDays: 1, maxTotalMiB: null }, NOW),
    ).toEqual([]);
  });
});
