// Runs app commands from the keyboard (shortcuts.ts) and from the native menu (`app:menu`
// stream), so both paths do exactly the same thing. Renderer only.
import { useEffect, useRef } from 'react';
import type { HostClient } from '../../../shared/contract/client';
import type { SessionState } from '../../../shared/contract/session';
import { useHost } from '../host/hooks';
import { useSession } from '../session/SessionProvider';
import { interrupt, pause, resume, setMuted } from '../session/sessionActions';
import { runControl } from '../session/sessionLabels';
import { getUiState, toggleTheme, updateUi } from './appStore';
import { commandForKey, type AppCommand } from '../../../shared/ui/shortcuts';

/** The event the log pane listens for when the menu asks for an export (it owns the export). */
export const MENU_EVENT = 'hds-menu';

export function runAppCommand(
  command: AppCommand,
  host: HostClient,
  session: SessionState | null,
): void {
  const s = getUiState();
  switch (command) {
    case 'library:focus-search':
      return updateUi({ focusSearchRequest: s.focusSearchRequest + 1 });
    case 'library:new-code':
    case 'library:import':
      window.dispatchEvent(new CustomEvent(MENU_EVENT, { detail: command }));
      return;
    case 'log:export':
      updateUi({ bottomTab: 'log' });
      window.dispatchEvent(new CustomEvent(MENU_EVENT, { detail: command }));
      return;
    case 'session:connect':
      return updateUi({ connectDialogOpen: true });
    case 'session:toggle-run': {
      const c = runControl(session);
      if (c.kind === 'pause') void pause(host);
      else if (c.kind === 'continue') void resume(host);
      else if (c.kind === 'mute') void setMuted(host, true);
      else if (c.kind === 'unmute') void setMuted(host, false);
      return;
    }
    case 'session:break':
      void interrupt(host);
      return;
    case 'view:toggle-theme':
      return toggleTheme();
    case 'tab:editor':
      return updateUi({ mainTab: 'editor' });
    case 'tab:binder':
      return updateUi({ mainTab: 'binder' });
    case 'tab:log':
      return updateUi({ bottomTab: 'log' });
    case 'tab:counts':
      return updateUi({ bottomTab: 'counts' });
    case 'tab:events':
      return updateUi({ bottomTab: 'events' });
    case 'tab:console':
      return updateUi({ bottomTab: 'console' });
    case 'tab:sessions':
      return updateUi({ bottomTab: 'sessions' });
    case 'console:focus':
      return updateUi({ bottomTab: 'console', focusConsoleRequest: s.focusConsoleRequest + 1 });
    case 'tab:about':
      return updateUi({ mainTab: 'about' });
    case 'palette:open':
      return updateUi({ paletteOpen: true });
  }
}

export function useAppCommands(): void {
  const host = useHost();
  const { state } = useSession();
  const sessionRef = useRef(state);
  useEffect(() => {
    sessionRef.current = state;
  }, [state]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = commandForKey(e);
      if (command === null) return;
      // The palette has the keyboard while it is open (it runs what it lists itself).
      if (getUiState().paletteOpen) {
        if (command === 'palette:open') e.preventDefault();
        return;
      }
      // F5/F6 inside a text field are still commands (they type nothing); letters need focus
      // outside the editors only when they carry no modifier, which none of ours do.
      e.preventDefault();
      runAppCommand(command, host, sessionRef.current);
    };
    window.addEventListener('keydown', onKey);
    const off = host.subscribe('app:menu', ({ command }) =>
      runAppCommand(command, host, sessionRef.current),
    );
    return () => {
      window.removeEventListener('keydown', onKey);
      off();
    };
  }, [host]);
}
