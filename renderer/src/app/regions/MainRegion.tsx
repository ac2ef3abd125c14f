// Main region: the action editor, the event binder and the About panel, as tabs.
import { ActionEditor } from '../../editor/ActionEditor';
import { EventBinder } from '../../events/EventBinder';
import { AboutPanel } from '../AboutPanel';
import { updateUi, useUi, type MainTab } from '../appStore';
import { ShortcutsHelp } from '../ShortcutsHelp';
import { SplitHandle } from '../SplitHandle';
import { Tabs } from '../Tabs';

const TABS: readonly { id: MainTab; label: string; hint: string }[] = [
  { id: 'editor', label: 'Action', hint: 'Alt+1' },
  { id: 'binder', label: 'Bind to event', hint: 'Alt+2' },
  { id: 'about', label: 'About', hint: '' },
];

export function MainRegion() {
  const tab = useUi((s) => s.mainTab);
  return (
    <section className="region region-main" aria-label="Editor">
      <Tabs tabs={TABS} current={tab} onSelect={(id) => updateUi({ mainTab: id })} label="Main" />
      <div className="tab-body" role="tabpanel" aria-label={TABS.find((t) => t.id === tab)?.label}>
        {tab === 'editor' && <ActionEditor />}
        {/* The binder stays mounted so a half-filled form survives a look at the editor. */}
        <div hidden={tab !== 'binder'} className="binder-host">
          <EventBinder />
        </div>
        {tab === 'about' && (
          <div className="about-tab">
            <AboutPanel />
            <ShortcutsHelp />
          </div>
        )}
      </div>
      <SplitHandle />
    </section>
  );
}
