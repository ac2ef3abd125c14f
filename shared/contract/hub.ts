// Push streams on the host side: services publish, transports subscribe. A throwing listener
// never stops the others. Pure.
import type { StreamName, StreamPayload } from './index';

export type StreamListener<S extends StreamName> = (payload: StreamPayload<S>) => void;
export type AnyStreamListener = (stream: StreamName, payload: unknown) => void;

export interface StreamHub {
  publish<S extends StreamName>(stream: S, payload: StreamPayload<S>): void;
  subscribe<S extends StreamName>(stream: S, listener: StreamListener<S>): () => void;
  /** Every stream, for transports that forward everything they are asked for. */
  subscribeAll(listener: AnyStreamListener): () => void;
  /** Number of listeners on a stream: producers skip work nobody will see. */
  listenerCount(stream: StreamName): number;
}

export function createStreamHub(onListenerError?: (e: unknown) => void): StreamHub {
  const byStream = new Map<StreamName, Set<(p: unknown) => void>>();
  const all = new Set<AnyStreamListener>();
  const report = (e: unknown) => onListenerError?.(e);
  return {
    publish(stream, payload) {
      for (const l of byStream.get(stream) ?? []) {
        try {
          l(payload);
        } catch (e) {
          report(e);
        }
      }
      for (const l of all) {
        try {
          l(stream, payload);
        } catch (e) {
          report(e);
        }
      }
    },
    subscribe(stream, listener) {
      let set = byStream.get(stream);
      if (set === undefined) byStream.set(stream, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    subscribeAll(listener) {
      all.add(listener);
      return () => void all.delete(listener);
    },
    listenerCount(stream) {
      return (byStream.get(stream)?.size ?? 0) + all.size;
    },
  };
}
