// Both ends of stream subscriptions, as the IPC and WebSocket transports use them: the host
// forwards each stream once per peer until it is released or the peer goes; the client asks for
// a stream on its first listener and releases it after its last.
import { describe, expect, it } from 'vitest';
import { createStreamHub } from '../../../shared/contract/hub';
import { createStreamListeners, forwardStreams } from '../../../shared/contract/streamForwarding';

const beat = (seq: number) => ({ seq, time: 0, uptimeMs: 0, rssBytes: 0, heapUsedBytes: 0 });

describe('forwardStreams (host side)', () => {
  it('forwards a stream once however often it is asked, until released', () => {
    const hub = createStreamHub();
    const got: unknown[][] = [];
    const peer = forwardStreams(hub, (stream, payload) => got.push([stream, payload]));
    peer.subscribe('app:heartbeat');
    peer.subscribe('app:heartbeat');
    hub.publish('app:heartbeat', beat(1));
    hub.publish('app:menu', { command: 'session:connect' });
    peer.unsubscribe('app:heartbeat');
    hub.publish('app:heartbeat', beat(2));
    expect(got).toEqual([['app:heartbeat', beat(1)]]);
    expect(hub.listenerCount('app:heartbeat')).toBe(0);
  });

  it('stops every stream when the peer goes, leaving other peers alone', () => {
    const hub = createStreamHub();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const peerA = forwardStreams(hub, (_s, p) => a.push(p));
    const peerB = forwardStreams(hub, (_s, p) => b.push(p));
    peerA.subscribe('app:heartbeat');
    peerA.subscribe('app:menu');
    peerB.subscribe('app:heartbeat');
    peerA.close();
    hub.publish('app:heartbeat', beat(3));
    hub.publish('app:menu', { command: 'log:export' });
    expect(a).toEqual([]);
    expect(b).toEqual([beat(3)]);
  });
});

describe('createStreamListeners (client side)', () => {
  it('subscribes on the first listener, unsubscribes after the last, delivers to each', () => {
    const sent: string[] = [];
    const listeners = createStreamListeners({
      subscribe: (s) => sent.push(`sub ${s}`),
      unsubscribe: (s) => sent.push(`unsub ${s}`),
    });
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = listeners.add('app:heartbeat', (p) => a.push(p));
    const offB = listeners.add('app:heartbeat', (p) => b.push(p));
    expect(listeners.streams()).toEqual(['app:heartbeat']);
    listeners.deliver('app:heartbeat', 1);
    listeners.deliver('app:menu', 2);
    offA();
    offA(); // a second removal changes nothing
    listeners.deliver('app:heartbeat', 3);
    offB();
    listeners.deliver('app:heartbeat', 4);
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 3]);
    expect(sent).toEqual(['sub app:heartbeat', 'unsub app:heartbeat']);
    expect(listeners.streams()).toEqual([]);
  });
});
