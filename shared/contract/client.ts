// The renderer's view of the host: the same interface whether it talks to window.studio
// (Electron preload) or to the web host over a WebSocket, or to handlers in memory (tests).
import type { MethodInput, MethodName, MethodOutput, StreamName, StreamPayload } from './index';
import type { Result } from './result';

export interface HostClient {
  call<C extends MethodName>(channel: C, input: MethodInput<C>): Promise<Result<MethodOutput<C>>>;
  subscribe<S extends StreamName>(
    stream: S,
    listener: (payload: StreamPayload<S>) => void,
  ): () => void;
  /** Connection state of the transport itself (always `open` for IPC and memory). */
  readonly transportState: () => 'connecting' | 'open' | 'closed';
}
