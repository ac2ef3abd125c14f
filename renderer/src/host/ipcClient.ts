// HostClient over window.studio, the bridge the Electron preload exposes.
import type { StudioBridge } from '../../../shared/contract/bridge';
import type { HostClient } from '../../../shared/contract/client';
import type { Result } from '../../../shared/contract/result';

export function createIpcClient(studio: StudioBridge): HostClient {
  return {
    async call(channel, input) {
      const fn = studio.methods[channel];
      if (fn === undefined)
        return { ok: false, error: { code: 'unknown-method', message: channel } };
      return (await fn(input)) as Result<never>;
    },
    subscribe(stream, listener) {
      const sub = studio.streams[stream];
      if (sub === undefined) return () => undefined;
      return sub(listener as (p: unknown) => void);
    },
    transportState: () => 'open',
  };
}
