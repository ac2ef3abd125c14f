// Main region: the action editor and the event binder, as tabs.
import { AboutPanel } from '../AboutPanel';

export function MainRegion() {
  return (
    <section className="region region-main" aria-label="Editor">
      <AboutPanel />
    </section>
  );
}
