// Picks the transport: window.studio under Electron, the WebSocket in browser mode.
import type { StudioBridge } from '../../../shared/contract/bridge';
import type { HostClient } from '../../../shared/contract/client';
import { createIpcClient } from './ipcClient';
import { createWsClient } from './wsClient';

declare global {
  interface Window {
    studio?: StudioBridge;
  }
}

export function connectHost(
  onTransportState?: (s: 'connecting' | 'open' | 'closed' | 'refused') => void,
): HostClient {
  if (window.studio !== undefined) {
    onTransportState?.('open');
    return createIpcClient(window.studio);
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWsClient(`${scheme}//${location.host}/ws`, onTransportState);
}
