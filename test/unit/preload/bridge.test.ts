// The preload exposes exactly the contract: checked on the bridge function and on the built,
// sandbox-ready bundle (which must need nothing but `electron`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { methodNames, streamNames } from '../../../shared/contract/index';
import { IPC_PUSH, IPC_SUB, IPC_UNSUB } from '../../../shared/contract/bridge';
import { createBridge, type IpcRendererLike } from '../../../electron/preload/bridge';
import { distDir } from '../../helpers/paths';

function fakeIpcRenderer() {
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const on = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const ipc: IpcRendererLike = {
    invoke: async (...args) => {
      invoked.push(args);
      return { ok: true, value: 'answer' };
    },
    send: (...args) => void sent.push(args),
    on: (channel, listener) => on.set(channel, listener),
  };
  return { ipc, invoked, sent, push: (...args: unknown[]) => on.get(IPC_PUSH)?.({}, ...args) };
}

describe('createBridge', () => {
  it('has one function per contract method and stream, and nothing else', () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    expect(Object.keys(bridge)).toEqual(['methods', 'streams']);
    expect(Object.keys(bridge.methods).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(bridge.streams).sort()).toEqual([...streamNames].sort());
    expect(Object.isFrozen(bridge.methods)).toBe(true);
  });

  it('invokes the method channel and subscribes once per stream', async () => {
    const f = fakeIpcRenderer();
    const bridge = createBridge(f.ipc);
    expect(await bridge.methods['library:get']?.({ id: 'q' })).toEqual({
      ok: true,
      value: 'answer',
    });
    expect(f.invoked).toEqual([['library:get', { id: 'q' }]]);

    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = bridge.streams['app:heartbeat']?.((p) => a.push(p)) as () => void;
    const offB = bridge.streams['app:heartbeat']?.((p) => b.push(p)) as () => void;
    expect(f.sent).toEqual([[IPC_SUB, 'app:heartbeat']]);
    f.push('app:heartbeat', 1);
    f.push('app:menu', 2); // nobody listens
    offA();
    f.push('app:heartbeat', 3);
    offB();
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 3]);
    expect(f.sent).toEqual([
      [IPC_SUB, 'app:heartbeat'],
      [IPC_UNSUB, 'app:heartbeat'],
    ]);
  });
});

describe('built preload bundle', () => {
  it('is one CommonJS file that requires only electron and exposes exactly the contract', () => {
    const code = readFileSync(join(distDir, 'preload/index.cjs'), 'utf8');
    const required: string[] = [];
    const exposed = new Map<string, unknown>();
    const f = fakeIpcRenderer();
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
      ipcRenderer: f.ipc,
    };
    const module = { exports: {} };
    runInNewContext(code, {
      module,
      exports: module.exports,
      require: (id: string) => {
        required.push(id);
        if (id !== 'electron') throw new Error(`preload required ${id}`);
        return fakeElectron;
      },
    });
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['studio']);
    const studio = exposed.get('studio') as { methods: object; streams: object };
    expect(Object.keys(studio.methods).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(studio.streams).sort()).toEqual([...streamNames].sort());
    expect(code).not.toContain('ipcRenderer:'); // never handed to the page as a property
  });
});
