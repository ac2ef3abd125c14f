// The host's heartbeat stream: proves to the UI that the host is alive and shows its memory.
import type { StreamHub } from '../../../shared/contract/hub';

/** One beat a second: frequent enough to show liveness, rare enough to cost nothing. */
export const HEARTBEAT_INTERVAL_MS = 1000;

export function startHeartbeat(hub: StreamHub, intervalMs = HEARTBEAT_INTERVAL_MS): () => void {
  const started = Date.now();
  let seq = 0;
  const timer = setInterval(() => {
    const mem = process.memoryUsage();
    hub.publish('app:heartbeat', {
      seq: seq++,
      time: Date.now(),
      uptimeMs: Date.now() - started,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
    });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
