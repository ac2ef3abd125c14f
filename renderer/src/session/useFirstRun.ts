// First run: with no real HyperDbg set up, open straight on the simulator so a newcomer sees the
// whole workflow at once. A session already running (a reload, a second window) is left alone,
// and so is one the user ended; a last target that was a real profile waits for the user.
import { useEffect, useRef } from 'react';
import { useHost } from '../host/hooks';
import { useUi } from '../app/appStore';
import { useSession } from './SessionProvider';
import { connectSimulator, lastTarget } from './sessionActions';

export function useFirstRun(): void {
  const host = useHost();
  const { state } = useSession();
  const transport = useUi((s) => s.transport);
  const attempted = useRef(false);

  useEffect(() => {
    if (attempted.current || state === null || transport !== 'open') return;
    attempted.current = true;
    if (state.status !== 'disconnected' || state.generation > 0) return;
    if (lastTarget()?.kind === 'profile') return;
    void (async () => {
      const info = await host.call('app:info', {});
      await connectSimulator(host, info.ok ? info.value.simulatorDefaults : {});
    })();
  }, [host, state, transport]);
}
