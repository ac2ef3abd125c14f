// The live log copes with coalesced updates (the web host holds and merges pushes for a client
// that falls behind, clientOutbox.ts): rows between two updates it never got are paged in from
// the host when they are on screen.
import { describe, expect, it } from 'vitest';
import type { HostClient } from '../../../shared/contract/client';
import type { LogUpdate } from '../../../shared/contract/log';
import { LogViewStore } from '../../../renderer/src/log/logViewStore';

function fakeHost() {
  const calls: { channel: string; input: Record<string, unknown> }[] = [];
  const listeners = new Map<string, (p: unknown) => void>();
  const host: HostClient = {
    call: (async (channel: string, input: Record<string, unknown>) => {
      calls.push({ channel, input });
      if (channel === 'log:open-view')
        return {
          ok: true,
          value: { viewId: 'v1', revision: 1, filter: {}, matched: 0, building: null, sort: null },
        };
      if (channel === 'log:page') {
        const offset = input.offset as number;
        const rows = Array.from({ length: input.limit as number }, (_, k) => ({
          seq: offset + k,
          fields: null,
          actionId: null,
        }));
        return { ok: true, value: { offset, rows, matched: 1000 } };
      }
      return { ok: false, error: { code: 'unavailable', message: 'not in this test' } };
    }) as HostClient['call'],
    subscribe: ((stream: string, l: (p: unknown) => void) => {
      listeners.set(stream, l);
      return () => listeners.delete(stream);
    }) as HostClient['subscribe'],
    transportState: () => 'open',
  };
  return { host, calls, push: (stream: string, p: unknown) => listeners.get(stream)?.(p) };
}

describe('LogViewStore after coalesced updates', () => {
  it('pages in the rows it was never sent when they come on screen', async () => {
    (globalThis as { requestAnimationFrame?: (f: () => void) => number }).requestAnimationFrame ??=
      (f) => setTimeout(f, 0) as unknown as number;
    const { host, calls, push } = fakeHost();
    const store = new LogViewStore(host);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.some((c) => c.channel === 'log:open-view')).toBe(true);
    // One merged update: 1000 matches, only the newest 10 rows carried.
    const update: LogUpdate = {
      total: 1000,
      malformed: 0,
      views: [
        {
          viewId: 'v1',
          revision: 1,
          matched: 1000,
          building: null,
          sort: null,
          tail: {
            offset: 990,
            rows: Array.from(
              { length: 10 },
              (_, k) => ({ seq: 990 + k, fields: null, actionId: null }) as never,
            ),
          },
        },
      ],
    };
    push('log:update', update);
    expect(store.rowCount).toBe(1000);
    store.setVisibleRange(0, 40);
    await new Promise((r) => setTimeout(r, 0));
    const pages = calls.filter((c) => c.channel === 'log:page');
    expect(pages.map((p) => p.input.offset)).toEqual([0]);
    expect(store.row(0)).toMatchObject({ seq: 0 });
    expect(store.row(995)).toMatchObject({ seq: 995 });
  });
});
