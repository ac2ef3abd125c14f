// Both ends of stream subscriptions, shared by the IPC and WebSocket transports. Host side: one
// peer's forwarding from the hub (each stream once, stopped one by one or all when the peer
// goes). Client side: listeners per stream that ask the host for a stream on the first listener
// and release it after the last. Pure.
import type { StreamHub } from './hub';
import type { StreamName } from './index';

/** What one peer (a renderer process, a WebSocket) receives from the hub. */
export interface PeerStreams {
  /** Starts forwarding `stream`; an already forwarded one is not forwarded twice. */
  subscribe(stream: StreamName): void;
  unsubscribe(stream: StreamName): void;
  /** Stops every stream: the peer is gone. */
  close(): void;
}

export function forwardStreams(
  hub: StreamHub,
  deliver: (stream: StreamName, payload: unknown) => void,
): PeerStreams {
  const active = new Map<StreamName, () => void>();
  return {
    subscribe(stream) {
      if (active.has(stream)) return;
      active.set(
        stream,
        hub.subscribe(stream, (payload) => deliver(stream, payload)),
      );
    },
    unsubscribe(stream) {
      active.get(stream)?.();
      active.delete(stream);
    },
    close() {
      for (const off of active.values()) off();
      active.clear();
    },
  };
}

/** How a client asks its host for a stream and releases it (a message on its transport). */
export interface StreamRequests {
  subscribe(stream: string): void;
  unsubscribe(stream: string): void;
}

export interface StreamListeners {
  /** Adds a listener; the first one of a stream subscribes. Returns its removal. */
  add(stream: string, listener: (payload: unknown) => void): () => void;
  /** Hands a pushed payload to the stream's listeners. */
  deliver(stream: string, payload: unknown): void;
  /** The streams listened to now (to subscribe again after a reconnect). */
  streams(): string[];
}

export function createStreamListeners(requests: StreamRequests): StreamListeners {
  const byStream = new Map<string, Set<(payload: unknown) => void>>();
  return {
    add(stream, listener) {
      let set = byStream.get(stream);
      if (set === undefined) {
        byStream.set(stream, (set = new Set()));
        requests.subscribe(stream);
      }
      const mine = set;
      mine.add(listener);
      return () => {
        if (mine.delete(listener) && mine.size === 0) {
          byStream.delete(stream);
          requests.unsubscribe(stream);
        }
      };
    },
    deliver(stream, payload) {
      for (const l of byStream.get(stream) ?? []) l(payload);
    },
    streams: () => [...byStream.keys()],
  };
}
