// Renderer entry: connect to the host, then render the app.
import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import type { HostClient } from '../../shared/contract/client';
import { App } from './app/App';
import { setTransport, startHostHealth, type TransportState } from './app/hostHealth';
import { connectHost } from './host/connect';
import { HostContext } from './host/hooks';
import './styles.css';

const transportListeners = new Set<(s: TransportState) => void>();
let transportState: TransportState = 'connecting';
const host: HostClient = connectHost((s) => {
  transportState = s;
  setTransport(s);
  for (const l of transportListeners) l(s);
});
startHostHealth(host);

const subscribeTransport = (onChange: () => void) => {
  transportListeners.add(onChange);
  return () => void transportListeners.delete(onChange);
};

function Root() {
  const transport = useSyncExternalStore(subscribeTransport, () => transportState);
  return (
    <HostContext.Provider value={host}>
      <App transport={transport} />
    </HostContext.Provider>
  );
}

const rootEl = document.getElementById('root');
if (rootEl === null) throw new Error('index.html lacks #root');
createRoot(rootEl).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
