// Main's IPC registration against a recording stand-in for ipcMain: sender-frame checks, input
// validation and stream forwarding only to the app's own frame.
import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../../shared/contract/dispatch';
import { createStreamHub } from '../../../shared/contract/hub';
import { methodNames } from '../../../shared/contract/index';
import { registerIpc, type IpcMainLike } from '../../../electron/main/ipc';
import { IPC_PUSH, IPC_SUB, IPC_UNSUB } from '../../../shared/contract/bridge';

type Listener = (event: unknown, ...args: unknown[]) => unknown;

function recordingIpcMain() {
  const handles = new Map<string, Listener>();
  const ons = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void handles.set(channel, listener as Listener),
    on: (channel, listener) => void ons.set(channel, listener as Listener),
  };
  return { ipc, handles, ons };
}

const appFrame = { url: 'studio://app/index.html', parent: null };
const foreignFrame = { url: 'https://evil.example/', parent: null };
const iframe = { url: 'studio://app/index.html', parent: appFrame };

function fakeSender(id = 1) {
  const sent: unknown[][] = [];
  const onceHandlers = new Map<string, () => void>();
  return {
    sent,
    destroy: () => onceHandlers.get('destroyed')?.(),
    sender: {
      id,
      send: (...args: unknown[]) => sent.push(args),
      isDestroyed: () => false,
      once: (name: string, fn: () => void) => onceHandlers.set(name, fn),
    },
  };
}

const handlers = {
  'app:info': () => ({ name: 'x' }),
  'library:get': (i: { id: string }) => ({ id: i.id }),
} as unknown as Handlers;

describe('registerIpc', () => {
  it('registers exactly the contract methods', () => {
    const { ipc, handles } = recordingIpcMain();
    registerIpc(ipc, handlers, createStreamHub());
    expect([...handles.keys()].sort()).toEqual([...methodNames].sort());
  });

  it('answers the app frame and refuses foreign frames, iframes and missing frames', async () => {
    const { ipc, handles } = recordingIpcMain();
    registerIpc(ipc, handlers, createStreamHub());
    const get = handles.get('library:get') as Listener;
    expect(await get({ senderFrame: appFrame }, { id: 'a' })).toEqual({
      ok: true,
      value: { id: 'a' },
    });
    for (const senderFrame of [foreignFrame, iframe, null]) {
      expect(await get({ senderFrame }, { id: 'a' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
  });

  it('validates input and names the bad field', async () => {
    const { ipc, handles } = recordingIpcMain();
    registerIpc(ipc, handlers, createStreamHub());
    const r = await (handles.get('library:get') as Listener)(
      { senderFrame: appFrame },
      { id: ['x'] },
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'id' } });
  });

  it('forwards a stream only to a trusted subscriber, until it unsubscribes or dies', () => {
    const { ipc, ons } = recordingIpcMain();
    const hub = createStreamHub();
    registerIpc(ipc, handlers, hub);
    const good = fakeSender(1);
    const bad = fakeSender(2);
    const sub = ons.get(IPC_SUB) as Listener;
    const unsub = ons.get(IPC_UNSUB) as Listener;
    sub({ senderFrame: appFrame, sender: good.sender }, 'app:heartbeat');
    sub({ senderFrame: appFrame, sender: good.sender }, 'app:heartbeat'); // twice: still one copy
    sub({ senderFrame: foreignFrame, sender: bad.sender }, 'app:heartbeat');
    sub({ senderFrame: appFrame, sender: good.sender }, 'no:such-stream');
    const beat = { seq: 1, time: 0, uptimeMs: 0, rssBytes: 0, heapUsedBytes: 0 };
    hub.publish('app:heartbeat', beat);
    expect(good.sent).toEqual([[IPC_PUSH, 'app:heartbeat', beat]]);
    expect(bad.sent).toEqual([]);
    unsub({ senderFrame: appFrame, sender: good.sender }, 'app:heartbeat');
    hub.publish('app:heartbeat', beat);
    expect(good.sent).toHaveLength(1);
    sub({ senderFrame: appFrame, sender: good.sender }, 'app:menu');
    good.destroy();
    hub.publish('app:menu', { command: 'session:connect' });
    expect(good.sent).toHaveLength(1);
  });
});
