// Registers every contract method on ipcMain the same way: the sender frame must be the app's
// own top frame, the input is parsed by its schema, the answer is always a Result. Streams are
// forwarded only to frames that subscribed. Type-only `electron` imports: testable in Node.
import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { IPC_PUSH, IPC_SUB, IPC_UNSUB } from '../../shared/contract/bridge';
import { dispatchCall, type Handlers } from '../../shared/contract/dispatch';
import type { StreamHub } from '../../shared/contract/hub';
import { isStreamName, methodNames, type StreamName } from '../../shared/contract/index';
import { err } from '../../shared/contract/result';
import { forwardStreams, type PeerStreams } from '../../shared/contract/streamForwarding';
import { isAppUrl } from './security';

/** The part of a frame the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown,
  ): void;
  on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown;
}

/** Only the app's own top-level frame may call; iframes and foreign pages may not. */
export function isTrustedFrame(frame: FrameLike | null | undefined): boolean {
  return frame != null && frame.parent === null && isAppUrl(frame.url);
}

export function registerIpc(ipcMain: IpcMainLike, handlers: Handlers, hub: StreamHub): void {
  for (const channel of methodNames) {
    ipcMain.handle(channel, async (event, input) => {
      if (!isTrustedFrame(event.senderFrame as FrameLike | null)) {
        return err('forbidden', `${channel}: caller is not the app's own frame`);
      }
      return dispatchCall(handlers, channel, input, { transport: 'ipc' });
    });
  }

  // Per renderer process: the streams it wants, until it unsubscribes or is destroyed.
  const peers = new Map<number, PeerStreams>();
  ipcMain.on(IPC_SUB, (event, stream) => {
    if (!isTrustedFrame(event.senderFrame as FrameLike | null) || !isStreamName(stream)) return;
    const sender = event.sender;
    let peer = peers.get(sender.id);
    if (peer === undefined) {
      const created = forwardStreams(hub, (name: StreamName, payload) => {
        if (!sender.isDestroyed()) sender.send(IPC_PUSH, name, payload);
      });
      peers.set(sender.id, (peer = created));
      sender.once('destroyed', () => {
        created.close();
        peers.delete(sender.id);
      });
    }
    peer.subscribe(stream);
  });
  ipcMain.on(IPC_UNSUB, (event, stream) => {
    if (!isStreamName(stream)) return;
    peers.get(event.sender.id)?.unsubscribe(stream);
  });
}
