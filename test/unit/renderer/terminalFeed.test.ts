// The console's feed: snapshot then chunks in order, chunks that raced the snapshot trimmed,
// a gap answered with a fresh snapshot, and every chunk acknowledged once (flow control).
import { describe, expect, it } from 'vitest';
import { TerminalFeed } from '../../../renderer/src/console/terminalFeed';

function harness() {
  let screen = '';
  const acks: number[] = [];
  let snapshots = 0;
  const feed = new TerminalFeed({
    reset: () => (screen = ''),
    write: (text, ack) => {
      screen += text;
      if (ack > 0) acks.push(ack);
    },
    requestSnapshot: () => void snapshots++,
  });
  return { feed, screen: () => screen, acks, snapshots: () => snapshots };
}

describe('TerminalFeed', () => {
  it('writes the snapshot, then chunks held while it was on its way, skipping what it had', () => {
    const h = harness();
    h.feed.start();
    h.feed.onData({ data: 'abc', seq: 3 });
    h.feed.onData({ data: 'de', seq: 5 });
    h.feed.onSnapshot({ data: 'HyperDbg> abc', seq: 3, droppedChars: 0 });
    h.feed.onData({ data: 'f', seq: 6 });
    expect(h.screen()).toBe('HyperDbg> abcdef');
    expect(h.acks).toEqual([2, 1]);
  });

  it('says how much the snapshot no longer holds', () => {
    const h = harness();
    h.feed.start();
    h.feed.onSnapshot({ data: 'x', seq: 10, droppedChars: 1234 });
    expect(h.screen()).toMatch(/1,234 earlier characters not kept/);
  });

  it('a gap starts over from a new snapshot instead of showing a hole', () => {
    const h = harness();
    h.feed.start();
    h.feed.onSnapshot({ data: 'a', seq: 1, droppedChars: 0 });
    h.feed.onData({ data: 'zz', seq: 9 });
    expect(h.snapshots()).toBe(2);
    expect(h.screen()).toBe('a');
    h.feed.onSnapshot({ data: 'whole', seq: 9, droppedChars: 0 });
    expect(h.screen()).toBe('whole');
  });
});
