// The renderer's log store against a scripted host: tail rows land by position, a gap is left
// empty and paged on demand when it comes on screen, pause freezes the table while counts grow,
// stale revisions are ignored, a closed view is reopened. One version bump per frame.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostClient } from '../../../shared/contract/client';
import type { LogRow, LogUpdate, LogViewInfo } from '../../../shared/contract/log';
import type { Result } from '../../../shared/contract/result';
import { LogViewStore } from '../../../renderer/src/log/logViewStore';

const row = (seq: number): LogRow => ({
  seq,
  receivedAt: 0,
  generation: 1,
  eventId: 1,
  core: 0,
  context: '0',
  length: 1,
  source: 1,
  actionId: 'a',
  actionName: 'A',
  fields: [['Name', `n${seq}`]],
  hex: '',
  hexTruncated: false,
});

interface Call {
  channel: string;
  input: Record<string, unknown>;
}

/** A HostClient whose answers the test scripts; streams are pushed by hand. */
function fakeHost() {
  const calls: Call[] = [];
  const listeners = new Map<string, (p: unknown) => void>();
  let views = 0;
  const answers: Record<string, (input: Record<string, unknown>) => Result<unknown>> = {
    'log:open-view': (i) => ({
      ok: true,
      value: {
        viewId: `v${++views}`,
        revision: 0,
        filter: i.filter,
        matched: 0,
        building: null,
        sort: null,
      },
    }),
    'log:stats': () => ({ ok: false, error: { code: 'internal', message: 'not scripted' } }),
    'log:set-paused': () => ({ ok: true, value: null }),
    'log:page': (i) => {
      const offset = i.offset as number;
      const limit = i.limit as number;
      return {
        ok: true,
        value: {
          offset,
          rows: Array.from({ length: limit }, (_, k) => row(offset + k)),
          matched: 100_000,
        },
      };
    },
  };
  const client: HostClient = {
    call: (async (channel: string, input: Record<string, unknown>) => {
      calls.push({ channel, input });
      const a = answers[channel];
      return a === undefined ? { ok: true, value: null } : a(input);
    }) as HostClient['call'],
    subscribe: ((stream: string, l: (p: unknown) => void) => {
      listeners.set(stream, l);
      return () => listeners.delete(stream);
    }) as HostClient['subscribe'],
    transportState: () => 'open',
  };
  return {
    client,
    calls,
    answers,
    push: (u: LogUpdate) => listeners.get('log:update')?.(u),
  };
}

/** Frames run when the test says so, 16 ms apart. */
let frames: ((t: number) => void)[] = [];
let frameTime = 1000;
const frame = () => {
  frameTime += 16;
  const f = frames;
  frames = [];
  for (const cb of f) cb(frameTime);
};
const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    frame();
  }
};
beforeEach(() => {
  frames = [];
  (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame = (
    cb: (t: number) => void,
  ) => frames.push(cb);
});
afterEach(() => {
  delete (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame;
});

const update = (
  viewId: string,
  matched: number,
  tailFrom: number,
  n: number,
  revision = 0,
): LogUpdate => ({
  total: matched,
  malformed: 0,
  views: [
    {
      viewId,
      revision,
      matched,
      building: null,
      sort: null,
      tail:
        n === 0
          ? null
          : { offset: tailFrom, rows: Array.from({ length: n }, (_, k) => row(tailFrom + k)) },
    },
  ],
});

describe('LogViewStore', () => {
  it('puts tail rows by position, leaves a gap, and pages it when it comes on screen', async () => {
    const h = fakeHost();
    const store = new LogViewStore(h.client);
    await settle();
    expect(store.viewId).toBe('v1');
    h.push(update('v1', 100, 0, 100));
    h.push(update('v1', 1000, 900, 100)); // 100..899 never sent: a gap
    await settle();
    expect(store.rowCount).toBe(1000);
    expect(store.row(50)?.seq).toBe(50);
    expect(store.row(950)?.seq).toBe(950);
    expect(store.row(500)).toBeUndefined();
    const pagesBefore = h.calls.filter((c) => c.channel === 'log:page').length;
    store.setVisibleRange(950, 1000); // the tail is cached: nothing to fetch
    await settle();
    expect(h.calls.filter((c) => c.channel === 'log:page').length).toBe(pagesBefore);
    store.setVisibleRange(480, 530); // scrolled into the gap
    await settle();
    const pages = h.calls.filter((c) => c.channel === 'log:page').map((c) => c.input.offset);
    expect(pages).toEqual([400, 500]);
    expect(store.row(480)?.seq).toBe(480);
    expect(store.row(529)?.seq).toBe(529);
  });

  it('coalesces many pushes into one version bump per frame', async () => {
    const h = fakeHost();
    const store = new LogViewStore(h.client);
    await settle();
    const v0 = store.getVersion();
    for (let i = 1; i <= 50; i++) h.push(update('v1', i * 10, (i - 1) * 10, 10));
    frame();
    expect(store.getVersion()).toBe(v0 + 1);
    expect(store.matched).toBe(500);
  });

  it('streamed rows render at most every 50 ms; a user action renders on the next frame', async () => {
    const h = fakeHost();
    const store = new LogViewStore(h.client);
    await settle();
    h.push(update('v1', 10, 0, 10));
    frame();
    const v0 = store.getVersion();
    h.push(update('v1', 20, 10, 10));
    frame(); // 16 ms after the last render: held back
    frame(); // 32 ms
    expect(store.getVersion()).toBe(v0);
    frame(); // 48 ms
    frame(); // 64 ms: rendered
    expect(store.getVersion()).toBe(v0 + 1);
    h.push(update('v1', 30, 20, 10));
    store.pause(); // the user clicked: no waiting
    frame();
    expect(store.getVersion()).toBe(v0 + 2);
    expect(store.paused).toBe(true);
  });

  it('pause holds the table still while the not-shown count grows; resume catches up', async () => {
    const h = fakeHost();
    const store = new LogViewStore(h.client);
    await settle();
    h.push(update('v1', 200, 100, 100));
    await settle();
    store.pause();
    await settle();
    expect(h.calls.at(-1)).toEqual({
      channel: 'log:set-paused',
      input: { viewId: 'v1', paused: true },
    });
    h.push(update('v1', 5000, 0, 0));
    await settle();
    expect(store.rowCount).toBe(200);
    expect(store.notShown).toEqual({ filtered: 0, paused: 4800, sortedOut: 0 });
    store.resume();
    await settle();
    expect(store.rowCount).toBe(5000);
    expect(store.follow).toBe(true);
    expect(store.notShown.paused).toBe(0);
  });

  it('ignores updates of an older revision and adopts a newer one', async () => {
    const h = fakeHost();
    const store = new LogViewStore(h.client);
    await settle();
    h.answers['log:set-filter'] = (i): Result<LogViewInfo> => ({
      ok: true,
      value: {
        viewId: 'v1',
        revision: 1,
        filter: i.filter as never,
        matched: 3,
        building: null,
        sort: null,
      },
    });
    await store.setFilter({ text: 'x' });
    h.push(update('v1', 999, 899, 100, 0)); // late, from the old filter
    await settle();
    expect(store.matched).toBe(3);
    h.push(update('v1', 10, 0, 10, 1));
    await settle();
    expect(store.matched).toBe(10);
    expect(store.notShown.filtered).toBe(0);
  });

  it('reopens a view the host closed (restart, eviction)', async () => {
    const h = fakeHost();
    const store = new LogViewStore(h.client);
    await settle();
    h.answers['log:page'] = () => ({ ok: false, error: { code: 'not-found', message: 'closed' } });
    h.push(update('v1', 300, 200, 0));
    store.setVisibleRange(0, 50);
    await settle();
    expect(store.viewId).toBe('v2');
  });
});
