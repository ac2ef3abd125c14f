// The action the library opens first: never a break outside Debugger Mode (HyperDbg refuses an
// event whose only action is a break in VMI mode, spec §3.7), a log action first on a stock
// build (custom code's buffers never arrive there), code first where buffers come back.
import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/contract/session';
import type { ActionSummary } from '../../../shared/model/action';
import { FEATURED_BUILTIN_KEY, firstUsableAction } from '../../../renderer/src/library/firstAction';

const action = (name: string, kind: ActionSummary['kind'], deleted = false, key?: string) =>
  ({
    id: name,
    name,
    kind,
    deletedAt: deleted ? '2025-01-01T00:00:00.000Z' : null,
    builtin: key === undefined ? null : { key, revision: 1, state: 'pristine' },
  }) as ActionSummary;

/** A library in its order (by name): a user's log action among the built-ins. */
const LIBRARY = [
  action('Break to the debugger', 'break', false, 'break-to-debugger'),
  action("Caller's return address", 'code', false, 'caller-return-address'),
  action('Current process ImageFileName (log, mine)', 'log'),
  action('Per-core event counter', 'code', false, 'per-core-event-counter'),
];
const FEATURED = action('Current process ImageFileName', 'code', false, FEATURED_BUILTIN_KEY);

const session = (patch: Partial<SessionState>) =>
  ({ status: 'ready', mode: 'vmi', capability: null, ...patch }) as SessionState;
const capability = (c: 'sim' | 'stock' | 'patched') =>
  ({
    capability: c,
    returnsBuffers: c !== 'stock',
    customCodeMayFault: false,
    source: 'banner',
  }) as const;

describe('firstUsableAction', () => {
  it('skips the break in VMI mode and before a session is ready', () => {
    expect(firstUsableAction(LIBRARY, session({ capability: capability('sim') }))?.kind).toBe(
      'code',
    );
    expect(
      firstUsableAction(LIBRARY, session({ status: 'disconnected', mode: 'none' }))?.kind,
    ).toBe('code');
    expect(firstUsableAction(LIBRARY, null)?.name).toBe("Caller's return address");
  });

  it('prefers a log action on a stock build', () => {
    expect(firstUsableAction(LIBRARY, session({ capability: capability('stock') }))?.name).toBe(
      'Current process ImageFileName (log, mine)',
    );
  });

  it('opens the featured built-in first on every target (on stock builds through its log form)', () => {
    const lib = [...LIBRARY.slice(0, 2), FEATURED, ...LIBRARY.slice(2)];
    for (const c of ['sim', 'stock', 'patched'] as const)
      expect(firstUsableAction(lib, session({ capability: capability(c) }))?.name).toBe(
        'Current process ImageFileName',
      );
    expect(firstUsableAction(lib, null)?.name).toBe('Current process ImageFileName');
    // Deleted, it is not opened.
    const gone = [...LIBRARY, { ...FEATURED, deletedAt: '2025-01-01T00:00:00.000Z' }];
    expect(firstUsableAction(gone as ActionSummary[], null)?.name).toBe("Caller's return address");
  });

  it('may open the break in Debugger Mode, after the kinds that return records', () => {
    expect(firstUsableAction(LIBRARY, session({ mode: 'debugger' }))?.kind).toBe('code');
    expect(
      firstUsableAction([LIBRARY[0] as ActionSummary], session({ mode: 'debugger' }))?.kind,
    ).toBe('break');
  });

  it('never opens a deleted action; with only a break left, opens it rather than nothing', () => {
    const lib = [action('Break', 'break'), action('Gone', 'code', true)];
    expect(firstUsableAction(lib, session({}))?.name).toBe('Break');
    expect(firstUsableAction([], session({}))).toBeUndefined();
  });
});
