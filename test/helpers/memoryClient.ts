// An in-memory HostClient over handlers and a hub, for tests: the same validation path as the
// real transports, with structured cloning so nothing is shared by reference. Test side only:
// no production bundle carries it (test/static/bundles.test.ts checks).
import type { HostClient } from '../../shared/contract/client';
import { dispatchCall, type Handlers } from '../../shared/contract/dispatch';
import type { StreamHub } from '../../shared/contract/hub';
import type { MethodName, MethodOutput } from '../../shared/contract/index';
import type { Result } from '../../shared/contract/result';

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
