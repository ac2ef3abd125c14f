// Bottom region: live log, counts, event list and console, as tabs.
export function BottomRegion() {
  return (
    <section className="region region-bottom" aria-label="Live log">
      <h2 className="region-title">Live log</h2>
      <p className="muted">Records appear here.</p>
    </section>
  );
}
