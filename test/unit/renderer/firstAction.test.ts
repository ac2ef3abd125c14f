// The action the library opens first: never a break outside Debugger Mode (HyperDbg refuses an
// event whose only action is a break in VMI mode, spec §3.7), a log action first on a stock
// build (custom code's buffers never arrive there), code first where buffers come back.
import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/contract/session';
import type { ActionSummary } from '../../../shared/model/action';
import { firstUsableAction } from '../../../renderer/src/library/firstAction';

const action = (name: string, kind: ActionSummary['kind'], deleted = false) =>
  ({
    id: name,
    name,
    kind,
    deletedAt: deleted ? '2025-01-01T00:00:00.000Z' : null,
  }) as ActionSummary;

/** The built-ins in the library's order (by name). */
const LIBRARY = [
  action('Break to the debugger', 'break'),
  action('Current process ImageFileName (log, stock builds)', 'log'),
  action('Current process ImageFileName (Windows 10 2004 and later)', 'code'),
  action('Per-core event counter', 'code'),
];

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
    expect(firstUsableAction(LIBRARY, null)?.name).toBe(
      'Current process ImageFileName (Windows 10 2004 and later)',
    );
  });

  it('prefers a log action on a stock build', () => {
    expect(firstUsableAction(LIBRARY, session({ capability: capability('stock') }))?.name).toBe(
      'Current process ImageFileName (log, stock builds)',
    );
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
