// The application frame: header over three regions (library | editor over log). Each region's
// content lives in its own module so the panes grow independently. Also the app-wide wiring:
// theme, host transport state, keyboard shortcuts and the native menu's commands.
import { useEffect, type CSSProperties } from 'react';
import { SessionProvider } from '../session/SessionProvider';
import { SessionHeader } from '../session/SessionHeader';
import { updateUi, useUi } from './appStore';
import { HostStatus } from './HostStatus';
import { StorageBanner } from './StorageBanner';
import { BottomRegion } from './regions/BottomRegion';
import { LeftRegion } from './regions/LeftRegion';
import { MainRegion } from './regions/MainRegion';
import { Toasts } from './Toasts';
import { useAppCommands } from './useAppCommands';

export function App({ transport }: { transport: 'connecting' | 'open' | 'closed' }) {
  useEffect(() => updateUi({ transport }), [transport]);
  return (
    <SessionProvider>
      <Frame transport={transport} />
    </SessionProvider>
  );
}

function Frame({ transport }: { transport: 'connecting' | 'open' | 'closed' }) {
  useAppCommands();
  const share = useUi((s) => s.mainShare);
  const rows = { '--main-fr': `${share}fr`, '--bottom-fr': `${1 - share}fr` } as CSSProperties;
  return (
    <div className="frame">
      <SessionHeader hostStatus={<HostStatus transport={transport} />} />
      <StorageBanner />
      <main className="regions" style={rows}>
        <LeftRegion />
        <MainRegion />
        <BottomRegion />
      </main>
      <Toasts />
    </div>
  );
}
