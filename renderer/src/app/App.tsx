// The application frame: header over three regions (library | editor over log). Each region's
// content lives in its own module so the panes grow independently.
import { useEffect } from 'react';
import { HostStatus } from './HostStatus';
import { updateUi, useUi } from './appStore';
import { BottomRegion } from './regions/BottomRegion';
import { LeftRegion } from './regions/LeftRegion';
import { MainRegion } from './regions/MainRegion';

export function App({ transport }: { transport: 'connecting' | 'open' | 'closed' }) {
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="frame">
      <header className="header">
        <h1 className="brand">HyperDbg Studio</h1>
        <span className="badge" data-testid="session-state">
          not connected
        </span>
        <div className="spacer" />
        <HostStatus transport={transport} />
        <button
          type="button"
          onClick={() => updateUi({ theme: theme === 'dark' ? 'light' : 'dark' })}
        >
          {theme === 'dark' ? 'Light' : 'Dark'} theme
        </button>
      </header>
      <main className="regions">
        <LeftRegion />
        <MainRegion />
        <BottomRegion />
      </main>
    </div>
  );
}
