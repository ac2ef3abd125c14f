// The preload's whole surface, as a function of an ipcRenderer-like object so it can be tested
// in plain Node: one function per contract method and one subscribe function per stream,
// generated from the contract. ipcRenderer itself is never handed to the page.
import { IPC_PUSH, IPC_SUB, IPC_UNSUB, type StudioBridge } from '../../shared/contract/bridge';
import { methodNames, streamNames } from '../../shared/contract/index';
import { createStreamListeners } from '../../shared/contract/streamForwarding';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: IpcRendererLike): StudioBridge {
  const listeners = createStreamListeners({
    subscribe: (s) => ipc.send(IPC_SUB, s),
    unsubscribe: (s) => ipc.send(IPC_UNSUB, s),
  });
  ipc.on(IPC_PUSH, (_event, stream, payload) => listeners.deliver(String(stream), payload));
  const methods = Object.fromEntries(
    methodNames.map((c) => [c, (input: unknown) => ipc.invoke(c, input)]),
  );
  const streams = Object.fromEntries(
    streamNames.map((s) => [
      s,
      (listener: (payload: unknown) => void) => {
        if (typeof listener !== 'function') throw new TypeError('listener must be a function');
        return listeners.add(s, listener);
      },
    ]),
  );
  return Object.freeze({ methods: Object.freeze(methods), streams: Object.freeze(streams) });
}
