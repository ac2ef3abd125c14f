// The preload's whole surface, as a function of an ipcRenderer-like object so it can be tested
// in plain Node: one function per contract method and one subscribe function per stream,
// generated from the contract. ipcRenderer itself is never handed to the page.
import { methodNames, streamNames } from '../../shared/contract/index';

export const IPC_PUSH = 'studio:push';
export const IPC_SUB = 'studio:sub';
export const IPC_UNSUB = 'studio:unsub';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface StudioBridge {
  readonly methods: Readonly<Record<string, (input: unknown) => Promise<unknown>>>;
  readonly streams: Readonly<Record<string, (listener: (payload: unknown) => void) => () => void>>;
}

export function createBridge(ipc: IpcRendererLike): StudioBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  ipc.on(IPC_PUSH, (_event, stream, payload) => {
    for (const l of listeners.get(String(stream)) ?? []) l(payload);
  });
  const methods = Object.fromEntries(
    methodNames.map((c) => [c, (input: unknown) => ipc.invoke(c, input)]),
  );
  const streams = Object.fromEntries(
    streamNames.map((s) => [
      s,
      (listener: (payload: unknown) => void) => {
        if (typeof listener !== 'function') throw new TypeError('listener must be a function');
        let set = listeners.get(s);
        if (set === undefined) {
          listeners.set(s, (set = new Set()));
          ipc.send(IPC_SUB, s);
        }
        set.add(listener);
        return () => {
          if (set.delete(listener) && set.size === 0) {
            listeners.delete(s);
            ipc.send(IPC_UNSUB, s);
          }
        };
      },
    ]),
  );
  return Object.freeze({ methods: Object.freeze(methods), streams: Object.freeze(streams) });
}
