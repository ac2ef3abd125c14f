// The application frame: header, and the panes later parts of the app fill.
import { useEffect, useState } from 'react';
import { AboutPanel } from './AboutPanel';
import { HostStatus } from './HostStatus';

export function App({ transport }: { transport: 'connecting' | 'open' | 'closed' }) {
  const [theme, setTheme] = useState<'dark' | 'light'>('dark');
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
        <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
          {theme === 'dark' ? 'Light' : 'Dark'} theme
        </button>
      </header>
      <main className="panes">
        <section className="pane" aria-label="Action library">
          <h2>Actions</h2>
          <p className="muted">The action library appears here.</p>
        </section>
        <section className="pane" aria-label="Live log">
          <h2>Live log</h2>
          <AboutPanel />
        </section>
      </main>
    </div>
  );
}
