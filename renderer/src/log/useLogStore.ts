// React access to the live log's store: one per host connection, re-read on every frame it
// changed in (useSyncExternalStore over the store's frame version). A hidden pane passes
// `live = false` and stops re-rendering until it is shown again. Renderer only.
import { useSyncExternalStore } from 'react';
import { useHost } from '../host/hooks';
import { logStoreFor, type LogViewStore } from './logViewStore';

const noSubscription = () => () => undefined;

export function useLogStore(live = true): { store: LogViewStore; version: number } {
  const store = logStoreFor(useHost());
  const version = useSyncExternalStore(live ? store.subscribe : noSubscription, store.getVersion);
  return { store, version };
}
