// An in-memory HostClient over handlers and a hub, for tests: the same validation path as the
// real transports, with structured cloning so nothing is shared by reference. Pure.
import type { HostClient } from './client';
import { dispatchCall, type Handlers } from './dispatch';
import type { StreamHub } from './hub';
import type { MethodName, MethodOutput } from './index';
import type { Result } from './result';

export function createMemoryClient(handlers: Handlers, hub: StreamHub): HostClient {
  return {
    async call(channel, input) {
      const r = await dispatchCall(handlers, channel, structuredClone(input), {
        transport: 'memory',
      });
      return structuredClone(r) as Result<MethodOutput<typeof channel & MethodName>>;
    },
    subscribe(stream, listener) {
      return hub.subscribe(stream, (p) => listener(structuredClone(p)));
    },
    transportState: () => 'open',
  };
}
