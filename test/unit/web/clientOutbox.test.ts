// Backpressure towards one browser client: pushes are held and coalesced while the client is
// behind, answers always go out, held state is sent once it catches up, and a client that stops
// reading (or piles up answers) is disconnected. A stand-in socket whose unsent bytes the test sets.
import { describe, expect, it } from 'vitest';
import {
  ClientOutbox,
  CLIENT_MAX_BUFFERED_BYTES,
  DRAIN_CHECK_MS,
  PUSH_HOLD_BYTES,
  STALLED_CLIENT_MS,
} from '../../../electron/web/clientOutbox';
import type { LogUpdate } from '../../../shared/contract/log';
import { manualClock } from '../../../shared/stream/clock';

function rig() {
  const clock = manualClock(0);
  const sent: string[] = [];
  const socket = {
    bufferedAmount: 0,
    terminated: false,
    send(text: string) {
      sent.push(text);
      this.bufferedAmount += text.length;
    },
    terminate() {
      this.terminated = true;
    },
  };
  const outbox = new ClientOutbox(socket, clock, (stream, payload) =>
    JSON.stringify({ t: 'push', stream, payload }),
  );
  const pushes = () =>
    sent.map((s) => JSON.parse(s) as { t: string; stream?: string; payload?: unknown });
  return { clock, sent, socket, outbox, pushes };
}

const row = (seq: number) => ({ seq }) as never;
const update = (total: number, views: LogUpdate['views']): LogUpdate => ({
  total,
  malformed: 0,
  views,
});

describe('ClientOutbox', () => {
  it('sends everything at once while the client keeps up', () => {
    const { outbox, pushes } = rig();
    for (let i = 0; i < 5; i++) outbox.push('app:heartbeat', { seq: i });
    outbox.sendAnswer(JSON.stringify({ t: 'result', id: 1, result: { ok: true } }));
    expect(pushes().map((p) => p.t)).toEqual(['push', 'push', 'push', 'push', 'push', 'result']);
  });

  it('holds pushes while the client is behind, keeps only the latest state, sends it on catching up', () => {
    const { outbox, socket, clock, pushes } = rig();
    socket.bufferedAmount = PUSH_HOLD_BYTES + 1;
    for (let i = 0; i < 100; i++) outbox.push('app:heartbeat', { seq: i });
    outbox.push('session:state', { status: 'ready' });
    outbox.push('session:state', { status: 'lost' });
    // Answers are not held.
    outbox.sendAnswer(JSON.stringify({ t: 'result', id: 9, result: { ok: true } }));
    expect(pushes().map((p) => p.t)).toEqual(['result']);
    expect(outbox.stats.coalesced).toBe(100);
    socket.bufferedAmount = 0;
    clock.advance(DRAIN_CHECK_MS);
    expect(pushes().slice(1)).toEqual([
      { t: 'push', stream: 'app:heartbeat', payload: { seq: 99 } },
      { t: 'push', stream: 'session:state', payload: { status: 'lost' } },
    ]);
  });

  it('merges log updates per view: newest counts, the newest tail a view had', () => {
    const { outbox, socket, clock, pushes } = rig();
    socket.bufferedAmount = PUSH_HOLD_BYTES + 1;
    outbox.push(
      'log:update',
      update(10, [
        {
          viewId: 'a',
          revision: 1,
          matched: 10,
          building: null,
          sort: null,
          tail: { offset: 5, rows: [row(9)] },
        },
      ]),
    );
    outbox.push(
      'log:update',
      update(20, [
        { viewId: 'b', revision: 1, matched: 3, building: null, sort: null, tail: null },
      ]),
    );
    outbox.push(
      'log:update',
      update(30, [
        { viewId: 'a', revision: 1, matched: 30, building: null, sort: null, tail: null },
      ]),
    );
    socket.bufferedAmount = 0;
    clock.advance(DRAIN_CHECK_MS);
    const merged = pushes()[0]?.payload as LogUpdate;
    expect(merged.total).toBe(30);
    expect(merged.views).toEqual([
      {
        viewId: 'a',
        revision: 1,
        matched: 30,
        building: null,
        sort: null,
        tail: { offset: 5, rows: [row(9)] },
      },
      { viewId: 'b', revision: 1, matched: 3, building: null, sort: null, tail: null },
    ]);
  });

  it('keeps the newest console chunk only (its seq jump makes the console take a snapshot)', () => {
    const { outbox, socket, clock, pushes } = rig();
    socket.bufferedAmount = PUSH_HOLD_BYTES + 1;
    outbox.push('terminal:data', { data: 'ab', seq: 2 });
    outbox.push('terminal:data', { data: 'cd', seq: 4 });
    socket.bufferedAmount = 0;
    clock.advance(DRAIN_CHECK_MS);
    expect(pushes()).toEqual([
      { t: 'push', stream: 'terminal:data', payload: { data: 'cd', seq: 4 } },
    ]);
  });

  it('never holds menu commands, and keeps library changes per scope', () => {
    const { outbox, socket, clock, pushes } = rig();
    socket.bufferedAmount = PUSH_HOLD_BYTES + 1;
    outbox.push('app:menu', { command: 'log:export' });
    outbox.push('library:changed', { scope: 'actions', reason: 'saved', ids: ['1'] });
    outbox.push('library:changed', { scope: 'profiles', reason: 'saved', ids: ['p'] });
    outbox.push('library:changed', { scope: 'actions', reason: 'deleted', ids: ['2'] });
    expect(pushes().map((p) => p.stream)).toEqual(['app:menu']);
    socket.bufferedAmount = 0;
    clock.advance(DRAIN_CHECK_MS);
    expect(
      pushes()
        .slice(1)
        .map((p) => p.payload),
    ).toEqual([
      { scope: 'actions', reason: 'changed', ids: ['1', '2'] },
      { scope: 'profiles', reason: 'saved', ids: ['p'] },
    ]);
  });

  it('disconnects a client that stays behind without draining for STALLED_CLIENT_MS', () => {
    const { outbox, socket, clock } = rig();
    socket.bufferedAmount = PUSH_HOLD_BYTES + 1;
    outbox.push('app:heartbeat', { seq: 1 });
    clock.advance(STALLED_CLIENT_MS - DRAIN_CHECK_MS);
    expect(socket.terminated).toBe(false);
    clock.advance(2 * DRAIN_CHECK_MS);
    expect(socket.terminated).toBe(true);
    expect(outbox.stats.closedBecause).toBe('stalled');
  });

  it('keeps a client that is behind but draining', () => {
    const { outbox, socket, clock } = rig();
    socket.bufferedAmount = 20 * PUSH_HOLD_BYTES;
    outbox.push('app:heartbeat', { seq: 1 });
    for (let t = 0; t < 3 * STALLED_CLIENT_MS; t += DRAIN_CHECK_MS) {
      socket.bufferedAmount = Math.max(PUSH_HOLD_BYTES + 1, socket.bufferedAmount - 10_000);
      clock.advance(DRAIN_CHECK_MS);
      if (socket.bufferedAmount === PUSH_HOLD_BYTES + 1) break;
    }
    expect(socket.terminated).toBe(false);
  });

  it('disconnects at once a client behind that piles answers over the cap, but not for one big answer', () => {
    const big = 'x'.repeat(CLIENT_MAX_BUFFERED_BYTES + 10);
    const keeping = rig();
    keeping.outbox.sendAnswer(big);
    expect(keeping.socket.terminated).toBe(false);
    const behind = rig();
    behind.socket.bufferedAmount = PUSH_HOLD_BYTES + 1;
    behind.outbox.sendAnswer(big);
    expect(behind.socket.terminated).toBe(true);
    expect(behind.outbox.stats.closedBecause).toBe('over-cap');
  });

  it('a stalled client costs a bounded amount however much is pushed', () => {
    const { outbox, socket, sent } = rig();
    const payload = { data: 'x'.repeat(10_000), seq: 0 };
    for (let i = 0; i < 10_000; i++) outbox.push('terminal:data', { ...payload, seq: i });
    // What went to the socket stopped growing one message past the hold level.
    expect(socket.bufferedAmount).toBeLessThan(PUSH_HOLD_BYTES + 20_000);
    expect(sent.length).toBeLessThan(110);
  });
});
