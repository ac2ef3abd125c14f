// The application frame: header over three regions (library | editor over log). Each region's
// content lives in its own module so the panes grow independently. Also the app-wide wiring:
// theme, host transport state, keyboard shortcuts and the native menu's commands.
import { useEffect, type CSSProperties } from 'react';
import { SessionProvider } from '../session/SessionProvider';
import { SessionHeader } from '../session/SessionHeader';
import { updateUi, useUi } from './appStore';
import type { TransportState } from './hostHealth';
import { CommandPalette } from './CommandPalette';
import { HostDetails, HostStatus } from './HostStatus';
import { BottomRegion } from './regions/BottomRegion';
import { LeftRegion } from './regions/LeftRegion';
import { MainRegion } from './regions/MainRegion';
import { StatusBar } from './StatusBar';
import { StorageBanner } from './StorageBanner';
import { useAppCommands } from './useAppCommands';

export function App({ transport }: { transport: TransportState }) {
  useEffect(() => updateUi({ transport }), [transport]);
  return (
    <SessionProvider>
      <Frame />
    </SessionProvider>
  );
}

function Frame() {
  useAppCommands();
  const share = useUi((s) => s.mainShare);
  // Flex factors in percent: when the log's minimum height takes over, the editor's factor alone
  // must still fill what is left (grid gives factors summing below 1 only that fraction).
  const rows = {
    '--main-fr': `${share * 100}fr`,
    '--bottom-fr': `${(1 - share) * 100}fr`,
  } as CSSProperties;
  return (
    <div className="frame">
      <SessionHeader hostStatus={<HostStatus />} />
      <StorageBanner />
      <main className="regions" style={rows}>
        <LeftRegion />
        <MainRegion />
        <BottomRegion />
      </main>
      <StatusBar hostDetails={<HostDetails />} />
      <CommandPalette />
    </div>
  );
}
