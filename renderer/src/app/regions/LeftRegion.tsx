// Left region: the action library.
import { LibraryPane } from '../../library/LibraryPane';

export function LeftRegion() {
  return (
    <section className="region region-left" aria-label="Action library">
      <h2 className="region-title">Actions</h2>
      <LibraryPane />
    </section>
  );
}
