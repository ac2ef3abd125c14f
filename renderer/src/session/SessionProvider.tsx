// The debugger session as every pane sees it: `session:get-state` once (and again when the host
// connection reopens), then every `session:state` push. One subscription for the whole app.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { SessionState } from '../../../shared/contract/session';
import type { AppErrorShape } from '../../../shared/contract/result';
import { useHost } from '../host/hooks';
import { useUi } from '../app/appStore';

export interface SessionView {
  /** null until the first answer, or when the host cannot give one. */
  readonly state: SessionState | null;
  /** Why the state could not be read (e.g. the session service is unavailable). */
  readonly error: AppErrorShape | null;
}

const SessionContext = createContext<SessionView>({ state: null, error: null });

export function SessionProvider({ children }: { children: ReactNode }) {
  const host = useHost();
  const transport = useUi((s) => s.transport);
  const [view, setView] = useState<SessionView>({ state: null, error: null });

  useEffect(
    () => host.subscribe('session:state', (state) => setView({ state, error: null })),
    [host],
  );
  useEffect(() => {
    if (transport !== 'open') return;
    let live = true;
    void host.call('session:get-state', {}).then((r) => {
      if (!live) return;
      setView((v) => (r.ok ? { state: r.value, error: null } : { state: v.state, error: r.error }));
    });
    return () => {
      live = false;
    };
  }, [host, transport]);

  return <SessionContext.Provider value={view}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionView {
  return useContext(SessionContext);
}

/** What the target does with custom code, for the assembler's lint (`auto` when unknown). */
export function useTargetCapability(): 'auto' | 'sim' | 'stock' | 'patched' {
  const { state } = useSession();
  return state?.capability?.capability ?? 'auto';
}
