// Left region: the action library.
export function LeftRegion() {
  return (
    <section className="region region-left" aria-label="Action library">
      <h2 className="region-title">Actions</h2>
      <p className="muted">The action library appears here.</p>
    </section>
  );
}
